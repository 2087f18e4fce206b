"""Writes N rows of a Toggl Track detailed-report CSV to stdout, for tests/bench/import.sh:
20 people, 12 projects over 4 clients, 30 tasks, tags, notes with commas and quotes, entries
of 15 minutes to 4 hours on working days from January 2022 on, about three years (Europe/Berlin
local times).
Deterministic: the same N gives the same file."""
import csv
import datetime as dt
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rnd = random.Random(42)
people = [(f"Person {i:02d}", f"person{i:02d}@example.com") for i in range(20)]
clients = ["Acme GmbH", "Nordwind AG", "Café Zürich KG", ""]
projects = [(f"Project {i:02d}", clients[i % 4]) for i in range(12)]
tasks = {p: [f"Task {p[-2:]}-{j}" for j in range(rnd.randint(0, 4))] for p, _ in projects}
tags = ["ops", "support", "meeting", "backup", "network", "frontend"]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date",
            "Start time", "End date", "End time", "Duration", "Tags", "Amount (EUR)"])
# Each person's day fills from 07:00 on, entry after entry, so that no row repeats another.
per_person = n // len(people) + 1
written = 0
for name, email in people:
    day = dt.date(2022, 1, 3)
    start = dt.datetime.combine(day, dt.time(7, 0))
    for _ in range(per_person):
        if written == n:
            break
        minutes = rnd.choice([15, 30, 45, 60, 90, 120, 180, 240])
        end = start + dt.timedelta(minutes=minutes)
        if end.hour >= 19 or end.date() != start.date():
            day += dt.timedelta(days=1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            start = dt.datetime.combine(day, dt.time(7, 0))
            end = start + dt.timedelta(minutes=minutes)
        project, client = rnd.choice(projects)
        task = rnd.choice(tasks[project]) if tasks[project] and rnd.random() < 0.7 else ""
        note = rnd.choice(["Rotated keys", "Call with the client, then notes", 'Fixed "VPN down"', "Review", ""])
        row_tags = ", ".join(rnd.sample(tags, rnd.randint(0, 2)))
        hours, rest = divmod(minutes * 60, 3600)
        w.writerow([name, email, client, project, task, note, rnd.choice(["Yes", "No"]),
                    start.date().isoformat(), start.strftime("%H:%M:%S"), end.date().isoformat(),
                    end.strftime("%H:%M:%S"), f"{hours:02d}:{rest // 60:02d}:00", row_tags, ""])
        written += 1
        start = end + dt.timedelta(minutes=rnd.choice([0, 5, 10]))
