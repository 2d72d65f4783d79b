"""Pure builders from DataFrames to figures, maps and slides: no Streamlit, no queries of their own."""
