"""Writes the import test files in this folder, as people really save them.

Run from the project root: .venv/bin/python tests/data/make_files.py. The files are committed;
this script documents exactly how each was made (encodings, delimiters, number formats).
"""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "indicator,area,period,category,value,status,source,note"


def write(name, text, encoding="utf-8", bom=False):
    data = text.replace("\n", "\r\n").encode(encoding)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


# The parts of a workbook as Excel writes them (one line of XML each, shared strings for
# text, styles by index); openpyxl writes inline strings, so this is the shape it never makes.
EXCEL_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXCEL_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXCEL_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def excel_workbook(name, rows, strings):
    """Write `rows` (lists of raw <c> elements) with `strings` (raw <si> elements) as Excel does."""
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
    )
    package_rels = (
        f'<Relationships xmlns="{EXCEL_PACKAGE_REL}">'
        f'<Relationship Id="rId3" Type="{EXCEL_REL}/extended-properties" '
        'Target="docProps/app.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId1" Type="{EXCEL_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'<workbook xmlns="{EXCEL_MAIN}" xmlns:r="{EXCEL_REL}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x15"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" '
        'rupBuild="27328"/><workbookPr defaultThemeVersion="166925"/><bookViews>'
        '<workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/>'
        '</bookViews><sheets><sheet name="Observations" sheetId="1" r:id="rId1"/></sheets>'
        '<calcPr calcId="191029"/></workbook>'
    )
    workbook_rels = (
        f'<Relationships xmlns="{EXCEL_PACKAGE_REL}">'
        f'<Relationship Id="rId3" Type="{EXCEL_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId4" Type="{EXCEL_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId1" Type="{EXCEL_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    )
    # Style 1: a date (built-in format 14), 2: "#,##0.00" (built-in 4), 3: a fill only.
    styles = (
        f'<styleSheet xmlns="{EXCEL_MAIN}"><fonts count="2"><font><sz val="11"/>'
        '<name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/>'
        '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
        '</fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
        '<fgColor rgb="FFFFFF00"/><bgColor indexed="64"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
        'borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" fillId="0" '
        'borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="2" '
        'borderId="0" xfId="0" applyFill="1"/></cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
        '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )
    references = sum(cell.count('t="s"') for row in rows for cell in row)
    shared = (
        f'<sst xmlns="{EXCEL_MAIN}" count="{references}" uniqueCount="{len(strings)}">'
        + "".join(strings)
        + "</sst>"
    )
    sheet_rows = "".join(
        f'<row r="{number}" spans="1:8" x14ac:dyDescent="0.25">{"".join(cells)}</row>'
        for number, cells in enumerate(rows, start=1)
    )
    sheet = (
        f'<worksheet xmlns="{EXCEL_MAIN}" xmlns:r="{EXCEL_REL}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac xr xr2 xr3" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f'<dimension ref="A1:H{len(rows)}"/><sheetViews><sheetView tabSelected="1" '
        'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" '
        f'x14ac:dyDescent="0.25"/><sheetData>{sheet_rows}</sheetData><pageMargins left="0.7" '
        'right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Data manager'
        '</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2025-05-05T08:00:00Z'
        "</dcterms:created></cp:coreProperties>"
    )
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel</Application><AppVersion>16.0300'
        "</AppVersion></Properties>"
    )
    parts = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", package_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
        ("xl/sharedStrings.xml", shared),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
    ]
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in parts:
            # Excel stamps every part 1980-01-01 00:00, which also keeps the file reproducible.
            info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (XML_DECLARATION + xml).encode("utf-8"))


def excel_shared_strings():
    """A workbook in Excel's own shape, and the same data as Excel's 'CSV UTF-8'."""
    strings = [
        "<si><t>indicator</t></si>",
        "<si><t>area</t></si>",
        "<si><t>period</t></si>",
        "<si><t>category</t></si>",
        "<si><t>value</t></si>",
        "<si><t>status</t></si>",
        "<si><t>source</t></si>",
        "<si><t>note</t></si>",
        "<si><t>reception-accommodated</t></si>",  # 8
        "<si><t>RS</t></si>",  # 9
        "<si><t>final</t></si>",  # 10
        "<si><t>rs-kirs</t></si>",  # 11
        # 12: rich text, two runs, the first ending in a space it keeps.
        '<si><r><t xml:space="preserve">Priština </t></r><r><rPr><b/><sz val="11"/>'
        '<color theme="1"/><rFont val="Calibri"/><family val="2"/><scheme val="minor"/></rPr>'
        "<t>office</t></r></si>",
        "<si><t>MK</t></si>",  # 13
        "<si><t>2024-Q2</t></si>",  # 14
        "<si><t>provisional</t></si>",  # 15
        "<si><t>Скопје &amp; Охрид</t></si>",  # 16: an escaped entity
        "<si><t>AL</t></si>",  # 17
        # 18: a phonetic reading (Japanese Excel adds one), which is not the text.
        '<si><r><t>東京</t></r><r><t xml:space="preserve"> office</t></r><rPh sb="0" eb="2">'
        '<t>トウキョウ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>',
        "<si><t>XK</t></si>",  # 19
        "<si><t>estimated</t></si>",  # 20
        "<si><t>arrivals-top-nationalities</t></si>",  # 21
        "<si><t>WB</t></si>",  # 22
        "<si><t>Türkiye nationals</t></si>",  # 23
    ]

    def s(reference, index, style=None):
        styled = f' s="{style}"' if style is not None else ""
        return f'<c r="{reference}"{styled} t="s"><v>{index}</v></c>'

    rows = [
        [s(f"{column}1", index) for index, column in enumerate("ABCDEFGH")],
        [
            s("A2", 8),
            s("B2", 9),
            '<c r="C2"><v>2024</v></c>',
            '<c r="D2" s="3"/>',  # empty but formatted
            '<c r="E2" s="2"><v>1500</v></c>',
            s("F2", 10),
            s("G2", 11),
            s("H2", 12),
        ],
        [
            s("A3", 8),
            s("B3", 13),
            s("C3", 14),
            '<c r="E3"><v>12.75</v></c>',
            s("F3", 15),
            s("H3", 16),
        ],
        [
            s("A4", 8),
            s("B4", 17),
            '<c r="C4" s="1"><v>45382</v></c>',  # 2024-03-31 as a date
            '<c r="E4"><v>3</v></c>',
            s("H4", 18),
        ],
        [
            '<c r="A5" t="inlineStr"><is><t>reception-accommodated</t></is></c>',
            s("B5", 19),
            '<c r="C5" t="str"><f>"2025-"&amp;"Q1"</f><v>2025-Q1</v></c>',
            '<c r="D5" t="b"><v>1</v></c>',
            '<c r="E5"><f>40+2</f><v>42</v></c>',
            s("F5", 20),
            '<c r="H5" t="e"><f>NA()</f><v>#N/A</v></c>',
        ],
        [
            s("A6", 21),
            s("B6", 22),
            '<c r="C6"><v>2024</v></c>',
            s("D6", 23),
            '<c r="E6"><v>7.0999999999999996</v></c>',
            s("G6", 11),
        ],
    ]
    excel_workbook("excel_shared_strings.xlsx", rows, strings)
    write(
        "excel_shared_strings.csv",
        HEADER
        + "\n"
        + "reception-accommodated,RS,2024,,1500,final,rs-kirs,Priština office\n"
        + "reception-accommodated,MK,2024-Q2,,12.75,provisional,,Скопје & Охрид\n"
        + "reception-accommodated,AL,2024-03-31,,3,,,東京 office\n"
        + "reception-accommodated,XK,2025-Q1,TRUE,42,estimated,,#N/A\n"
        + "arrivals-top-nationalities,WB,2024,Türkiye nationals,7.1,,rs-kirs,\n",
        bom=True,
    )


def staged_files():
    """Files staged as a data release: only new rows, and one that also changes a value."""
    new_rows = (
        "reception-accommodated,RS,2029-Q1,,1234.5,provisional,rs-kirs,Staged for release\n"
        + "reception-accommodated,WB,2029,,4321,,,\n"
    )
    write("staged_release.csv", HEADER + "\n" + new_rows)
    write(
        "staged_release_changes.csv",
        HEADER
        + "\n"
        + new_rows
        + "arrivals-top-nationalities,WB,2024,Türkiye,9,provisional,iom-emwp-2025-05-14,"
        + '"Marked in the presentation as non-final and subject to consolidation."\n',
    )


def main():
    # UTF-8 with BOM, comma, names in their own scripts, '.' decimal point.
    write(
        "utf8_bom_comma.csv",
        HEADER
        + "\n"
        + "arrivals-top-nationalities,WB,2024,Türkiye,12.5,provisional,rs-kirs,Priština office\n"
        + "arrivals-top-nationalities,WB,2024,Србија,7,,rs-kirs,\n"
        + 'reception-accommodated,RS,2025-Q1,,1200.5,final,rs-kirs,"Quoted, with comma"\n'
        + "reception-accommodated,TR,2025-03,,-3,estimated,,\n",
        bom=True,
    )
    # UTF-8 without BOM, semicolon, decimal comma and '.' thousands, shuffled header with
    # odd case and spaces.
    write(
        "utf8_semicolon_decimal_comma.csv",
        " Value ;INDICATOR; area ;Period;category;STATUS;source;note\n"
        + "1.200,5;reception-accommodated;BA;2024;;final;ba-ministry-of-security;\n"
        + "0,25;reception-accommodated;ME;2024;;;me-border-police;Crna Gora\n"
        + "1.234.567;reception-accommodated;AL;2024;;;;Shqipëria\n"
        + "42;reception-accommodated;XK;2024;;;;\n"
        + ";;;;;;;\n",
    )
    # Windows-1250 (Latin: Serbian, Bosnian, Croatian letters, Albanian ë, Turkish ş ç ö ü;
    # ğ and ı are not in Windows-1250), semicolon with decimal comma.
    write(
        "cp1250_semicolon.csv",
        HEADER.replace(",", ";")
        + "\n"
        + "arrivals-top-nationalities;WB;2023;Priština;3,5;;;"
        + "Đakovica, Čačak, Šabac, Žabljak, Ćuprija\n"
        + "arrivals-top-nationalities;WB;2023;Shqipëria;4;;;\n"
        + "arrivals-top-nationalities;WB;2023;Türkiye;5;;;Çeşme, Gölcük, Muş\n"
        + "arrivals-top-nationalities;WB;2023;Bosna i Hercegovina;6;;;Ministarstvo sigurnosti\n",
        encoding="cp1250",
    )
    # Windows-1251 (Serbian Cyrillic and Macedonian), comma-delimited, '.' decimal point.
    # Only letters whose bytes also decode in Windows-1250, so the choice is made by
    # which decoding gives real words, not by an undecodable byte.
    write(
        "cp1251_comma.csv",
        HEADER
        + "\n"
        + "arrivals-top-nationalities,WB,2022,Србија,10.5,,,Београд и Ниш\n"
        + "arrivals-top-nationalities,WB,2022,Северна Македонија,11,,,Скопје\n"
        + "arrivals-top-nationalities,WB,2022,Црна Гора,12,,,\n",
        encoding="cp1251",
    )
    # Windows-1251 with Macedonian Ѓ and Ќ (bytes undefined in Windows-1250).
    write(
        "cp1251_macedonian.csv",
        HEADER.replace(",", ";")
        + "\n"
        + "arrivals-top-nationalities;MK;2021;Ѓорѓија;1,5;;;Ќерка\n",
        encoding="cp1251",
    )
    # Errors, one kind per file.
    errors = {
        "error_unknown_indicator.csv": "no-such-indicator,WB,2024,,1,,,\n",
        "error_unknown_area.csv": "reception-accommodated,XX,2024,,1,,,\n",
        "error_bad_period.csv": "reception-accommodated,WB,2024-13,,1,,,\n",
        "error_not_a_number.csv": "reception-accommodated,WB,2024,,twelve,,,\n",
        "error_unknown_source.csv": "reception-accommodated,WB,2024,,1,,nobody,\n",
        "error_unknown_status.csv": "reception-accommodated,WB,2024,,1,draft,,\n",
        "error_duplicate_key.csv": (
            "reception-accommodated,WB,2024,,1,,,\n"
            "reception-accommodated,RS,2024,,2,,,\n"
            "reception-accommodated,WB,2024,,3,,,\n"
        ),
        # A decimal comma in a comma file can only arrive quoted: still not a number here.
        "error_decimal_comma_in_comma_file.csv": 'reception-accommodated,WB,2024,,"1,5",,,\n',
    }
    for name, rows in errors.items():
        write(name, HEADER + "\n" + rows)
    write(
        "error_ambiguous_number_semicolon.csv",
        HEADER.replace(",", ";") + "\nreception-accommodated;WB;2024;;1.5;;;\n",
    )
    write("error_missing_column.csv", "indicator,area,period\nreception-accommodated,WB,2024\n")
    write(
        "error_unknown_column.csv",
        HEADER + ",colour\nreception-accommodated,WB,2024,,1,,,,blue\n",
    )
    write("error_header_only.csv", HEADER + "\n")
    (HERE / "error_empty.csv").write_bytes(b"")
    # A PNG image renamed to .csv, and an old binary Excel workbook.
    (HERE / "error_not_csv.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    )
    (HERE / "error_old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    # Formula-like text in text columns (export must neutralise it; preview must show it inert).
    write(
        "formula_text.csv",
        HEADER
        + "\n"
        + 'reception-accommodated,WB,2024,=HYPERLINK("http://x.test"),1,,,@SUM(1+1)\n'
        + "reception-accommodated,WB,2024,+cmd,2,,,-2+3\n"
        + "reception-accommodated,WB,2024,'=already escaped,3,,,<script>alert(1)</script>\n",
    )
    # XLSX: numeric cells, a year typed as a number, a date cell.
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Area", "Period", "Category", "Value", "Status", "Source", "Note"])
    sheet.append(["reception-accommodated", "RS", 2024, None, 1500, "final", "rs-kirs", None])
    sheet.append(
        ["reception-accommodated", "MK", "2024-Q2", None, 12.75, "provisional", None, "Скопје"]
    )
    sheet.append(
        ["reception-accommodated", "AL", datetime.date(2024, 3, 31), None, 3, None, None, None]
    )
    workbook.save(HERE / "observations.xlsx")
    bad = Workbook()
    bad.active.append(["indicator", "area", "period", "category", "value"])
    bad.active.append(["reception-accommodated", "RS", 2024, None, "lots"])
    bad.save(HERE / "error_value.xlsx")
    excel_shared_strings()
    staged_files()


if __name__ == "__main__":
    main()
