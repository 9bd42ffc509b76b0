#!/usr/bin/env python3
"""Writes the Excel workbook fixtures with openpyxl from clean.csv (run
make_exports.py first; make.sh runs both):

clean.xlsx            the clean data on sheet "Responses" (answers as numbers),
                      after a sheet "Notes" that is not data, with two
                      empty rows above the header
microsoft-forms.xlsx  Microsoft Forms' layout: ID, Start time, Completion
                      time, Email, Name, the school and authority, then the
                      question texts as headers and the choice text as answers
"""
import csv
import datetime

from openpyxl import Workbook

LABELS = ["Not at all", "To a slight extent", "To a moderate extent", "To a great extent", "To a very great extent"]

with open("clean.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]


def number(cell):
    return int(cell) if cell.isdigit() else (cell if cell else None)


book = Workbook()
notes = book.active
notes.title = "Notes"
notes["A1"] = "Staff survey, spring term"
sheet = book.create_sheet("Responses")
sheet.append([])
sheet.append([])
sheet.append(header)
for r in data:
    sheet.append(r[:3] + [number(c) for c in r[3:]])
book.save("clean.xlsx")

book = Workbook()
sheet = book.active
sheet.title = "Sheet1"
questions = [f"Statement {k + 1} about the work setting" for k in range(len(header) - 3)]
sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "respondent", "authority", "school"] + questions)
start = datetime.datetime(2026, 3, 2, 9, 0, 0)
for k, r in enumerate(data):
    text = [LABELS[int(c) - 1] if c in ("1", "2", "3", "4", "5") else (c if c else None) for c in r[3:]]
    sheet.append([k + 1, start + datetime.timedelta(minutes=k), start + datetime.timedelta(minutes=k + 9), "anonymous", None,
                  r[0], r[1], r[2]] + text)
book.save("microsoft-forms.xlsx")
