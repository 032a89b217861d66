"""Writes the import-profile test files in this folder, byte for byte as the sources do.

Run from the project root: .venv/bin/python tests/data/profiles/make_files.py. The files are
committed; this script documents how each was made (encoding, delimiter, line endings, quoting).
Every figure is invented for the tests.
"""

import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name, lines, encoding="utf-8", bom=False, newline="\r\n"):
    data = (newline.join(lines) + newline).encode(encoding)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


# (a) UNHCR Refugee Data Finder style: a dozen key,value lines (one with a single field, one
# blank), then the header. UTF-8 with BOM, CRLF, fields quoted only where needed.
write(
    "a_unhcr_preamble.csv",
    [
        "Title,UNHCR Refugee Data Finder",
        "Extracted on,28 November 2026",
        "Source,UNHCR - The UN Refugee Agency",
        "Url,https://www.unhcr.org/refugee-statistics/download",
        "Licence,CC BY 4.0",
        "Population type,Asylum-seekers",
        "Countries of asylum,Selected",
        "Countries of origin,All",
        "Years,2022-2023",
        "Notes",
        "",
        "Figures,As at the end of each year",
        "Year,Country of origin,Country of origin (ISO),Country of asylum,"
        "Country of asylum (ISO),Asylum-seekers",
        "2023,Afghanistan,AFG,Serbia and Kosovo: S/RES/1244 (1999),SRB,1170",
        "2022,Afghanistan,AFG,Türkiye,TUR,61335",
        "2023,Syrian Arab Rep.,SYR,North Macedonia,MKD,12",
        "2023,Afghanistan,AFG,Bosnia and Herzegovina,BIH,245",
        "2023,Afghanistan,AFG,Montenegro,MNE,0",
    ],
    bom=True,
)

# (b) No header: country of asylum, country of origin, year, English month name, value.
# UTF-8 without BOM, LF line endings.
write(
    "b_no_header.csv",
    [
        "Serbia,Afghanistan,2024,January,312",
        "Serbia,Afghanistan,2024,February,280",
        "Bosnia and Herzegovina,Pakistan,2024,March,95",
        "Kosovo,Syria,2024,Apr,7",
    ],
    newline="\n",
)

# (c) World Bank download (WDI CSV): BOM, a 4-line preamble, every field quoted, a trailing
# comma on every line, ISO3 codes (XKX for Kosovo), an empty cell where there is no figure.
WDI_INDICATOR = '"Personal remittances, received (% of GDP)","BX.TRF.PWKR.DT.GD.ZS"'
write(
    "c_world_bank_wide.csv",
    [
        '"Data Source","World Development Indicators",',
        "",
        '"Last Updated Date","2026-10-15",',
        "",
        '"Country Name","Country Code","Indicator Name","Indicator Code",'
        '"2020","2021","2022","2023",',
        f'"Serbia","SRB",{WDI_INDICATOR},"7.41","7.15","6.22","5.9",',
        f'"Kosovo","XKX",{WDI_INDICATOR},"18.5","17.25","16.8","",',
        f'"Turkiye","TUR",{WDI_INDICATOR},"0.11","0.1","0.09","0.08",',
        f'"Europe & Central Asia","ECS",{WDI_INDICATOR},"0.9","0.9","0.8","0.8",',
    ],
    bom=True,
)

# (d) SiStat PX-Web export: Windows-1250, ";" and decimal comma, a title line, year+category
# headers, Slovene names indented with spaces under a capitalised continent subtotal.
write(
    "d_sistat_wide.csv",
    [
        '"Dovoljenja za prebivanje po državi državljanstva, namenu in spolu"',
        "",
        '"DRŽAVA DRŽAVLJANSTVA";"2017 Zaposlitev";"2017 Moški";"2018 Zaposlitev";"2018 Moški"',
        '"EVROPA";"41250,5";"30100";"45010";"33002"',
        '"  Srbija";"5120,5";"3880";"6014";"4471"',
        '"  Črna gora";"z";"310";"-";"402"',
        '"  Severna Makedonija";"2850";"2002";"...";"2240"',
        '"  Bosna in Hercegovina";"18640";"13211,25";"20100";"14320"',
    ],
    encoding="cp1250",
)

# (d2) SiStat PX-Web export "with two header rows": Windows-1250, ";", CRLF, a title line and
# a blank line; the first header row names each year once, over the first column of its
# group (the cells after it are empty); the second row names the categories.
write(
    "d_sistat_two_header_rows.csv",
    [
        '"Prebivalstvo po državljanstvu in spolu, 1. januar"',
        '""',
        '"";"2017";"";"2018";""',
        '"";"Moški";"Ženske";"Moški";"Ženske"',
        '"Srbija";"3880";"1204,5";"4471";"1302"',
        '"Črna gora";"310";"z";"402";"-"',
        '"Bosna in Hercegovina";"13211";"4020";"14320";"4511"',
    ],
    encoding="cp1250",
)

# (e) Eurostat TSV: tab-delimited, codes in the first column, periods with a trailing space,
# ":" for missing (": c" confidential) and flags after the number ("830 p", "15 e").
write(
    "e_eurostat_quarters.tsv",
    [
        "geo\\TIME_PERIOD\t2024Q1 \t2024Q2 \t2024Q3 ",
        "RS\t1205 \t: \t830 p",
        "ME\t15 e\t: c\t22 ",
        "TR\t40125 \t38200 \t:",
    ],
    newline="\n",
)
write(
    "e_eurostat_months.tsv",
    [
        "geo\\TIME_PERIOD\t2008M01 \t2008M02 ",
        "MK\t55 \t: ",
        "AL\t120 p\t131 ",
    ],
    newline="\n",
)

# (e2) Eurostat TSV as published since 2023 (e.g. migr_asyappctza): the first column packs
# the dimensions, "freq,citizen,geo\\TIME_PERIOD" over "A,UA,RS"; annual periods with a
# trailing space; ": " missing, ": c" confidential, flags after the figure ("125 p", "5 e").
write(
    "e_eurostat_dimensions.tsv",
    [
        "freq,citizen,geo\\TIME_PERIOD\t2023 \t2024 ",
        "A,UA,RS\t125 p\t140 ",
        "A,UA,ME\t: \t: c",
        "A,SY,RS\t5 e\t12 ",
        "A,TOTAL,RS\t130 \t152 ",
    ],
    newline="\n",
)

# (f) A comma file whose numbers group thousands with "," (so they are quoted) and whose
# small or missing cells carry markers: * suppressed, .. not available, - nil, z confidential.
write(
    "f_thousands_markers.csv",
    [
        "Country,Year,Measure,Value",
        'Serbia,2023,Asylum applications,"18,420"',
        "Serbia,2023,Recognised,*",
        'Turkey,2023,Asylum applications,"1,234,567"',
        "Montenegro,2023,Asylum applications,..",
        "Montenegro,2023,Recognised,-",
        "Albania,2023,Recognised,z",
        "Albania,2023,Asylum applications,980",
    ],
)

# (g) Windows-1251 with Cyrillic names, comma-delimited, decimal point.
write(
    "g_cp1251_cyrillic.csv",
    [
        "Држава,Година,Вредност",
        "Србија,2023,10.5",
        "Северна Македонија,2023,11",
        "Црна Гора,2023,12.25",
        "Босна и Херцеговина,2023,3",
    ],
    encoding="cp1251",
)


# (h) XLSX (openpyxl): real date cells meaning quarters, number cells, a marker as text.
def write_xlsx():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Quarterly arrivals, invented for tests"])
    sheet.append([])
    sheet.append(["Country", "Reference date", "Arrivals"])
    sheet.append(["Serbia", datetime.date(2024, 3, 31), 1520])
    sheet.append(["Albania", datetime.date(2024, 6, 30), 12.5])
    sheet.append(["Kosovo*", datetime.date(2024, 6, 30), ".."])
    sheet.append(["Montenegro", "30.09.2024", 87])
    book.save(HERE / "h_quarters.xlsx")


write_xlsx()


# (i) XLSX whose rows end where their last filled cell is, as Excel saves them: a row without
# its note is shorter than the header, a styled but empty cell lies beyond the header.
def write_ragged_xlsx():
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    book = Workbook()
    sheet = book.active
    sheet.append(["Country", "Quarter", "Arrivals", "Note"])
    sheet.append(["Serbia", "2024Q1", 1520])
    sheet.append(["Albania", "2024Q2", 12.5, "Revised in May"])
    sheet.append(["Montenegro", "2024Q3", 87])
    sheet.cell(row=4, column=6).fill = PatternFill("solid", fgColor="FFFF00")
    book.save(HERE / "i_xlsx_ragged_rows.xlsx")


write_ragged_xlsx()
