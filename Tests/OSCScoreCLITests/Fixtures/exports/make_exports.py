#!/usr/bin/env python3
"""Writes the survey-export fixtures from Examples/synthetic-responses.csv,
each by the writer the real tool uses (Python's csv module as Qualtrics and
Google Forms write, and Excel's habits by hand); make.sh then makes the
re-encoded copies with iconv. Run from this folder: ./make.sh

clean.csv                  the reference: UTF-8, comma-delimited, 7 schools
                           (two renamed "Ecole Ste-Thérèse" and
                           "Ecole Ste-Thèrése": two different schools)
qualtrics-numeric.csv      Qualtrics "CSV, use numeric values": three header
                           rows, UTF-8 with BOM, every field quoted, CRLF;
                           plus a Survey Preview, a Survey Test and a Spam
                           response, and two responses with Finished False
qualtrics-text.csv         the same with "use choice text" answers
qualtrics-legacy.csv       the legacy export: V1..V10 names, one description row
google-forms.csv           Google Forms: Timestamp, Email Address, question
                           texts as headers, choice-text answers
google-forms-key.csv       the demo key with the question texts in its column field
excel-semicolon.csv        Excel (continental locale): sep=; first line, a
                           trailing ; on every line, decimal commas (3,0),
                           rows of only delimiters; windows-1252 (by make.sh)
spss-nine.csv              an SPSS export with missing answers coded 9
"""
import csv
import io

SOURCE = "../../../../Examples/synthetic-responses.csv"
SCHOOLS = ["LA1-S01", "LA1-S02", "LA1-S03", "LA1-S04", "LA2-S01", "LA2-S02", "LA2-S03"]
RENAMED = {"LA1-S01": "Ecole Ste-Thérèse", "LA1-S02": "Ecole Ste-Thèrése"}
LABELS = ["Not at all", "To a slight extent", "To a moderate extent", "To a great extent", "To a very great extent"]

with open(SOURCE, encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], [r for r in rows[1:] if r and r[2] in SCHOOLS]
for r in data:
    r[2] = RENAMED.get(r[2], r[2])
items = header[3:]


def write(name, table, encoding="utf-8", **options):
    with open(name, "w", encoding=encoding, newline="") as f:
        csv.writer(f, **options).writerows(table)


write("clean.csv", [header] + data, lineterminator="\n")


def text(cell):
    """The choice text Qualtrics writes for a numeric answer."""
    return LABELS[int(cell) - 1] if cell in ("1", "2", "3", "4", "5") else cell


# Qualtrics: metadata columns first, the items, embedded data (authority, school) last.
meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
        "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
        "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
descriptions = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                "Distribution Channel", "User Language"]
import_ids = ['{"ImportId":"startDate","timeZone":"Europe/London"}', '{"ImportId":"endDate","timeZone":"Europe/London"}',
              '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
              '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Europe/London"}', '{"ImportId":"_recordId"}',
              '{"ImportId":"recipientLastName"}', '{"ImportId":"recipientFirstName"}', '{"ImportId":"recipientEmail"}',
              '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}', '{"ImportId":"locationLongitude"}',
              '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}']


def qualtrics(answer, status_text):
    out = [meta + items + ["authority", "school"]]
    out.append(descriptions + [f"Statement {k + 1} about the work setting - {item}" for k, item in enumerate(items)]
               + ["authority", "school"])
    out.append(import_ids + ['{"ImportId":"QID%d"}' % (k + 1) for k in range(len(items))]
               + ['{"ImportId":"authority"}', '{"ImportId":"school"}'])

    def response(k, r, status, finished):
        return (["2026-03-02 09:%02d:00" % (k % 60), "2026-03-02 09:%02d:30" % (k % 60), status, "192.0.2.%d" % (k % 250),
                 "100" if finished == "True" else "64", str(300 + k), finished, "2026-03-02 09:%02d:31" % (k % 60),
                 r[0], "", "", "", "", "51.5", "-0.1", "anonymous", "EN"]
                + [answer(c) for c in r[3:]] + [r[1], r[2]])
    for k, r in enumerate(data):
        status = ("0" if status_text is None else "IP Address")
        out.append(response(k, r, status, "False" if k in (5, 40) else "True"))
        if k == 10:
            for code, name, rid in (("1", "Survey Preview", "R_preview"), ("2", "Survey Test", "R_test"), ("8", "Spam", "R_spam")):
                out.append(response(k, [rid, r[1], r[2]] + r[3:], code if status_text is None else name, "True"))
    return out


write("qualtrics-numeric.csv", qualtrics(lambda c: c, None), encoding="utf-8-sig", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
write("qualtrics-text.csv", qualtrics(text, "text"), encoding="utf-8-sig", quoting=csv.QUOTE_ALL, lineterminator="\r\n")

# The legacy export: V1 ResponseID ... V10 Finished, then the items; row 2 describes each column.
legacy_meta = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
               "StartDate", "EndDate", "Finished"]
legacy = [[f"V{k + 1}" for k in range(10)] + items + ["authority", "school"],
          legacy_meta + [f"Statement {k + 1} about the work setting" for k in range(len(items))] + ["authority", "school"]]
for k, r in enumerate(data):
    legacy.append([r[0], "Default Response Set", "Anonymous", "", "", "192.0.2.1", "0", "2016-03-02 09:00:00",
                   "2016-03-02 09:10:00", "1"] + r[3:] + [r[1], r[2]])
write("qualtrics-legacy.csv", legacy, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

# Google Forms: a timestamp and the e-mail address first, the question texts as headers, choice text.
questions = [f"Statement {k + 1} about the work setting" for k in range(len(items))]
forms = [["Timestamp", "Email Address", "respondent", "authority", "school"] + questions]
for k, r in enumerate(data):
    forms.append(["2026/03/02 9:%02d:00 AM GMT" % (k % 60), f"staff{k}@example.org", r[0], r[1], r[2]] + [text(c) for c in r[3:]])
write("google-forms.csv", forms, lineterminator="\r\n")
with open("../../../../Examples/demo-key.csv", encoding="utf-8") as f:
    key = [line.rstrip("\n") for line in f if not line.startswith("#")]
with open("google-forms-key.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(key[0].split(","))
    for line in key[1:]:
        item, column, scale, reverse = line.split(",")
        w.writerow([item, f"Statement {items.index(column) + 1} about the work setting", scale, reverse])

# Excel's semicolon CSV: sep=; first, a trailing delimiter on every line,
# decimal commas, and rows of only delimiters (cells once used, now empty).
buffer = io.StringIO()
w = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
for k, r in enumerate([header] + data):
    cells = r if k == 0 else [c + ",0" if c.isdigit() else c.replace(".", ",") for c in r]
    w.writerow(cells + [""])
    if k in (20, 60):
        w.writerow([""] * (len(header) + 1))
with open("excel-semicolon-utf8.csv", "w", encoding="utf-8", newline="") as f:
    f.write("sep=;\r\n" + buffer.getvalue() + ";" * len(header) + "\r\n")

# SPSS: missing answers coded 9.
write("spss-nine.csv", [header] + [r[:3] + [c if c else "9" for c in r[3:]] for r in data], lineterminator="\n")
