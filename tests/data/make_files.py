"""Writes the import test files in this folder, as people really save them.

Run from the project root: .venv/bin/python tests/data/make_files.py. The files are committed;
this script documents exactly how each was made (encodings, delimiters, number formats).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "indicator,area,period,category,value,status,source,note"


def write(name, text, encoding="utf-8", bom=False):
    data = text.replace("\n", "\r\n").encode(encoding)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


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


if __name__ == "__main__":
    main()
