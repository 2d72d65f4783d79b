"""Partner Atlas: where the department's foreign-partner activity is, by country and mission area."""
