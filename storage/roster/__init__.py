"""The household roster import (`bangfu import households`), one step per module:

files.py (rows of .xlsx/.csv, streamed) -> columns.py (the header row) -> rows.py (a row to a
Person, validated) -> households.py (rows to households, whole-household checks) ->
writer.py (batches into the database, audited) with caseworkers.py (帮扶责任人 to a user);
importer.py runs them in one transaction and returns the report.
"""
