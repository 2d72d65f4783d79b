"""The data layer: no Streamlit. Files in, DuckDB tables, named queries out."""
