#!/usr/bin/env python3
"""Excel workbooks for XLSXWorkbookTests, and the cells they must give.

Writes the workbooks below and expected.json: for each workbook its sheet
names in workbook order and, per sheet, the rows that hold a non-empty cell
as [row number, [cell text, ...]] with "" for cells missing between filled
ones. The expected text is what a person would write for each value: an
integral number as "3", other numbers as Python's repr (the shortest text
that reads back as the same double), booleans as TRUE/FALSE.

    pip install openpyxl        # 3.1.5 was used
    python3 make_fixtures.py    # from this folder; uses soffice if installed

- openpyxl.xlsx   openpyxl: three sheets (one empty), shared strings,
                  numbers, booleans, an error cell, gaps in rows and columns,
                  accented text, an inline rich-text string
- qualtrics.xlsx  openpyxl: a Qualtrics-shaped export (three header rows)
- handmade.xlsx   written here part by part: rows and cells without r
                  attributes, entity and character references, CDATA,
                  _x000D_ escapes, shared rich-text runs with xml:space and a
                  phonetic run, inline strings, t="str", t="b", t="e", t="d",
                  numbers as "3.0", "2.50", "1.0E-3" and "007", a namespace
                  prefix, sheets whose parts are in another order than the
                  workbook's, and a chart sheet
- libreoffice.xlsx  LibreOffice Calc (soffice --headless --convert-to xlsx)
                  from libreoffice.csv (only if soffice is installed)
"""
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

expected = {}


def text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def rows_of(cells):
    """{(row, col): value} -> [[row, [text...]]] as the reader must give."""
    out = []
    for r in sorted({r for r, _ in cells}):
        row = {c: text(v) for (rr, c), v in cells.items() if rr == r and text(v) != ""}
        if not row:
            continue
        width = max(row) + 1
        out.append([r, [row.get(c, "") for c in range(width)]])
    return out


# openpyxl.xlsx
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Responses"
cells = {}


def put(sheet, store, r, c, v):
    sheet.cell(row=r, column=c + 1, value=v)
    store[(r, c)] = v


header = ["respondent", "authority", "school", "Q001", "Q002", "Q003", "Q004"]
for c, v in enumerate(header):
    put(ws, cells, 1, c, v)
data = [
    ["T1", "LA1", "Ecole Ste-Thérèse", 4, 2, 5, 4],
    ["T2", "LA1", "Ecole Ste-Thérèse", 3, None, 2.5, True],
    ["T3", "LA2", "Škola Čapek £5", 12.0, -1.75, 0.1, False],
    ["T4", "LA2", "日本語の学校", "#N/A", 3.14159, None, None],
]
for i, row in enumerate(data):
    for c, v in enumerate(row):
        if v is not None:
            put(ws, cells, i + 2, c, v)
# A gap of rows and a cell far to the right.
put(ws, cells, 9, 0, "T9")
put(ws, cells, 9, 25, "far right")
rich = CellRichText([TextBlock(InlineFont(b=True), "Bold "), "and plain"])
ws.cell(row=10, column=2, value=rich)
cells[(10, 1)] = "Bold and plain"
expected_openpyxl = {"sheets": ["Responses", "Notes", "Empty"], "rows": {"Responses": rows_of(cells)}}
notes = wb.create_sheet("Notes")
ncells = {}
put(notes, ncells, 2, 1, "  leading and trailing spaces  ")
put(notes, ncells, 3, 0, "a < b & c > \"d\" 'e'")
put(notes, ncells, 3, 2, 42)
expected_openpyxl["rows"]["Notes"] = rows_of(ncells)
wb.create_sheet("Empty")
expected_openpyxl["rows"]["Empty"] = []
wb.save("openpyxl.xlsx")
expected["openpyxl.xlsx"] = expected_openpyxl

# qualtrics.xlsx
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Sheet0"
qcells = {}
names = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "school", "Q001", "Q002"]
texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Response ID", "Your school",
         "My colleagues support me. - To what extent", "Rules get in the way - To what extent"]
imports = ['{"ImportId":"startDate","timeZone":"America/Denver"}', '{"ImportId":"endDate","timeZone":"America/Denver"}',
           '{"ImportId":"status"}', '{"ImportId":"progress"}', '{"ImportId":"finished"}', '{"ImportId":"_recordId"}',
           '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}', '{"ImportId":"QID2_2"}']
for c in range(len(names)):
    put(ws, qcells, 1, c, names[c])
    put(ws, qcells, 2, c, texts[c])
    put(ws, qcells, 3, c, imports[c])
responses = [
    ["2026-03-01 09:12:00", "2026-03-01 09:20:41", "IP Address", 100, True, "R_1a2B3c", "S01", 4, 2],
    ["2026-03-01 10:00:00", "2026-03-01 10:03:10", "Survey Preview", 100, True, "R_9zYx", "S01", 5, 5],
    ["2026-03-02 11:30:00", "2026-03-02 11:31:00", "IP Address", 40, False, "R_77Qq", "S02", 3, None],
]
for i, row in enumerate(responses):
    for c, v in enumerate(row):
        if v is not None:
            put(ws, qcells, i + 4, c, v)
wb.save("qualtrics.xlsx")
expected["qualtrics.xlsx"] = {"sheets": ["Sheet0"], "rows": {"Sheet0": rows_of(qcells)}}

# handmade.xlsx
content_types = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"""
root_rels = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
workbook = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- sheets in workbook order: "Data &amp; more" is in sheet2.xml -->
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="Data &amp; more" sheetId="2" r:id="rId7"/><x:sheet name="Chart1" sheetId="3" r:id="rId9"/><x:sheet name="Second" sheetId="1" r:id="rId3"/></x:sheets></x:workbook>"""
workbook_rels = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="./sharedStrings.xml"/>
</Relationships>"""
shared = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">Bold </t></r><r><t>run</t></r></si>
<si><t>line one_x000D_
line two</t></si>
<si><t>&#233;t&#xE9; &lt;&gt;&amp;&quot;&apos;</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>
<si><t><![CDATA[<cdata & kept>]]></t></si>
<si/>
</sst>"""
sheet2 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>
<row><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c t="inlineStr"><is><t>inline &amp; text</t></is></c></row>
<row r="5"><c r="B5"><v>3.0</v></c><c r="C5"><v>2.50</v></c><c r="D5"><v>1.0E-3</v></c><c r="E5"><v>007</v></c><c r="F5" s="3"/><c r="G5"><v>-0</v></c></row>
<row r="6"><c r="A6" t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c r="B6" t="b"><v>1</v></c><c r="C6" t="b"><v>0</v></c><c r="D6" t="e"><v>#DIV/0!</v></c><c r="E6" t="d"><v>2026-03-01T00:00:00</v></c></row>
<row r="7" spans="1:3"><c r="A7" s="1"/></row>
<row r="8"><c r="C8"><f>1+1</f></c><c><v>12345678901234567890</v></c><c><v>0.30000000000000004</v></c></row>
</sheetData></worksheet>"""
sheet1 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData></worksheet>"""
with zipfile.ZipFile("handmade.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", content_types)
    z.writestr("_rels/.rels", root_rels)
    z.writestr("xl/workbook.xml", workbook)
    z.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
    z.writestr("xl/sharedStrings.xml", shared)
    z.writestr("xl/worksheets/sheet1.xml", sheet1)
    z.writestr("xl/worksheets/sheet2.xml", sheet2)
    z.writestr("xl/chartsheets/sheet1.xml", "<chartsheet/>")
expected["handmade.xlsx"] = {
    "sheets": ["Data & more", "Chart1", "Second"],
    "rows": {
        "Data & more": [
            [1, ["plain", "Bold run", "line one\r\nline two"]],
            [2, ["été <>&\"'", "<cdata & kept>", "", "inline & text"]],
            [5, ["", "3", "2.5", "0.001", "7", "", "0"]],
            [6, ["plainx", "TRUE", "FALSE", "#DIV/0!", "2026-03-01T00:00:00"]],
            [8, ["", "", "", repr(float("12345678901234567890")), "0.30000000000000004"]],
        ],
        "Second": [[2, ["", "1"]]],
    },
}

# libreoffice.xlsx
lcells = [["respondent", "school", "Q001", "Q002"], ["T1", "Ecole Ste-Thérèse", "4", "2.5"], ["T2", "Škola", "3", ""], ["T3", "", "5", "1"]]
with open("libreoffice.csv", "w", encoding="utf-8") as f:
    f.write("\n".join(",".join(r) for r in lcells) + "\n")
soffice = shutil.which("soffice")
if soffice:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, "--headless", "-env:UserInstallation=file://" + tmp + "/profile", "--infilter=CSV:44,34,76",
                        "--convert-to", "xlsx", "--outdir", tmp, "libreoffice.csv"], check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, "libreoffice.xlsx"), "libreoffice.xlsx")
if os.path.exists("libreoffice.xlsx"):
    rows = []
    for i, r in enumerate(lcells):
        while r and r[-1] == "":
            r = r[:-1]
        rows.append([i + 1, r])
    expected["libreoffice.xlsx"] = {"sheets": ["libreoffice"], "rows": {"libreoffice": rows}}

with open("expected.json", "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
