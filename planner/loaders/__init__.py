"""The loaders: every input file is opened, decoded, read into rows and checked here.

Every file a run reads is opened by `files.read_input` (regular files only, a size bound);
workbooks (catalogs, reviewed plans) go through `workbooks.read_sheets`, TOML files (scenarios,
rollouts) through `toml_file.read_toml`, plan files through `json_file.read_json`; `clock` stops
the reading when the run's time limit passes. `planner.catalog.load_catalog` puts the catalog's
parts together: `text` turns bytes into rows of cells, `xlsx` reads catalog workbooks, `folder`
reads folders of CSV files, `schema` declares the tables, `rows` turns rows into entities, and
`checks` looks across rows and tables.
"""
