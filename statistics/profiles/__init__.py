"""Import profiles: files as sources publish them, read into the contract's rows.

format   the profile file format (JSON, "wbportal-import-profile", version 1)
values   numbers, markers and periods as sources write them
names    area names and codes -> the portal's areas (the shared AreaName table)
reshape  the file -> SourceRow(original row number, contract cells), streamed
load     a profile by saved name or file path; import a file with it
"""
