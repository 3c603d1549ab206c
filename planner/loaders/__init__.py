"""The loaders: every input file is opened, decoded, read into rows and checked here.

`planner.catalog.load_catalog` puts the catalog's parts together: `files` opens any input file
(bounded, regular files only), `text` turns bytes into rows of cells, `xlsx` reads workbooks,
`folder` reads folders of CSV files, `schema` declares the tables, `rows` turns rows into
entities, and `checks` looks across rows and tables.
"""
