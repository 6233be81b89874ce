package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/csvsafe"
)

// reportOut writes reports as a table, CSV or JSON. Everything in a
// report may come from statements, which anyone with a write credential
// sends: table cells lose control characters (a terminal would obey
// escape sequences), CSV cells that a spreadsheet would run as a formula
// are neutralised, and JSON is escaped by encoding/json.
type reportOut struct {
	w      io.Writer
	format string // "table", "csv" or "json"
}

// column is one column of a report: its table heading and cell, and its
// CSV heading and cell. A nil table func leaves the column out of the
// table; a nil csv func out of the CSV.
type column[T any] struct {
	head    string
	table   func(T) string
	csvHead string
	csv     func(T) string
}

func writeRows[T any](out *reportOut, cols []column[T], rows []T) error {
	if out.format == "csv" {
		w := csv.NewWriter(out.w)
		var head []string
		for _, c := range cols {
			if c.csv != nil {
				head = append(head, c.csvHead)
			}
		}
		if err := w.Write(head); err != nil {
			return err
		}
		for _, r := range rows {
			var rec []string
			for _, c := range cols {
				if c.csv != nil {
					rec = append(rec, csvsafe.Cell(c.csv(r)))
				}
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(out.w, 0, 4, 2, ' ', 0)
	var head []string
	for _, c := range cols {
		if c.table != nil {
			head = append(head, c.head)
		}
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range rows {
		var cells []string
		for _, c := range cols {
			if c.table != nil {
				cells = append(cells, tableCell(c.table(r)))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func (out *reportOut) json(v any) error { return printJSON(out.w, v) }

// tableCell makes one line of s with no control characters (tabs and
// newlines would break the table, escape sequences would drive the
// terminal).
func tableCell(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// truncate shortens s to n runes for a table.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 0, 64) + "%" }

func ratio(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

func optPct(f *float64) string {
	if f == nil {
		return "-"
	}
	return pct(*f)
}

func optRatio(f *float64) string {
	if f == nil {
		return ""
	}
	return ratio(*f)
}

// span is a duration as a table shows it: 1h12m, 14m, 45s.
func span(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func itoaCell(n int) string { return strconv.Itoa(n) }

func (out *reportOut) courses(rows []progress.CourseSummary) error {
	if out.format == "json" {
		return out.json(map[string]any{"courses": nonNil(rows)})
	}
	type r = progress.CourseSummary
	return writeRows(out, []column[r]{
		{"COURSE", func(c r) string { return c.ID }, "course_id", func(c r) string { return c.ID }},
		{"TITLE", func(c r) string { return truncate(c.Title, 40) }, "title", func(c r) string { return c.Title }},
		{"LESSONS", func(c r) string { return itoaCell(c.Lessons) }, "lessons", func(c r) string { return itoaCell(c.Lessons) }},
		{"STARTED", func(c r) string { return itoaCell(c.Started) }, "started", func(c r) string { return itoaCell(c.Started) }},
		{"COMPLETED", func(c r) string { return itoaCell(c.Completed) }, "completed", func(c r) string { return itoaCell(c.Completed) }},
		{"PASSED", func(c r) string { return itoaCell(c.Passed) }, "passed", func(c r) string { return itoaCell(c.Passed) }},
		{"FAILED", func(c r) string { return itoaCell(c.Failed) }, "failed", func(c r) string { return itoaCell(c.Failed) }},
		{"COMPLETION", func(c r) string { return pct(c.CompletionRate) }, "completion_rate", func(c r) string { return ratio(c.CompletionRate) }},
		{"MEDIAN SCORE", func(c r) string { return optPct(c.MedianScore) }, "median_score", func(c r) string { return optRatio(c.MedianScore) }},
		{"MEDIAN TIME", func(c r) string { return span(c.MedianTime) }, "median_time_seconds", func(c r) string { return seconds(c.MedianTime) }},
	}, rows)
}

func (out *reportOut) learners(rows []progress.LearnerRow, total int) error {
	if out.format == "json" {
		return out.json(map[string]any{"learners": nonNil(rows), "total": total})
	}
	type r = progress.LearnerRow
	err := writeRows(out, []column[r]{
		{"LEARNER", func(l r) string { return l.Learner }, "learner", func(l r) string { return l.Learner }},
		{"NAME", func(l r) string { return truncate(l.Name, 30) }, "name", func(l r) string { return l.Name }},
		{"STATUS", func(l r) string { return string(l.Status) }, "status", func(l r) string { return string(l.Status) }},
		{"PROGRESS", func(l r) string { return pct(l.Progress) }, "progress", func(l r) string { return ratio(l.Progress) }},
		{"SCORE", func(l r) string { return optPct(l.Score) }, "score", func(l r) string { return optRatio(l.Score) }},
		{"LATEST", func(l r) string { return optPct(l.LatestScore) }, "latest_score", func(l r) string { return optRatio(l.LatestScore) }},
		{"ATTEMPTS", func(l r) string { return itoaCell(l.Attempts) }, "attempts", func(l r) string { return itoaCell(l.Attempts) }},
		{"", nil, "registrations", func(l r) string { return itoaCell(l.Registrations) }},
		{"TIME", func(l r) string { return span(l.TimeSpent) }, "time_spent_seconds", func(l r) string { return seconds(l.TimeSpent) }},
		{"", nil, "first_seen", func(l r) string { return stamp(l.FirstSeen) }},
		{"LAST SEEN", func(l r) string { return day(l.LastSeen) }, "last_seen", func(l r) string { return stamp(l.LastSeen) }},
	}, rows)
	if err == nil && out.format == "table" && total > len(rows) {
		_, err = fmt.Fprintf(out.w, "%d of %d learners\n", len(rows), total)
	}
	return err
}

func (out *reportOut) learner(d progress.LearnerDetail) error {
	if out.format == "json" {
		d.Courses, d.Timeline = nonNil(d.Courses), nonNil(d.Timeline)
		return out.json(d)
	}
	type e = progress.Event
	cols := []column[e]{
		{"TIME", func(v e) string { return day(v.Time) }, "time", func(v e) string { return stamp(v.Time) }},
		{"", nil, "learner", func(e) string { return d.Learner }},
		{"VERB", func(v e) string { return v.VerbDisplay }, "verb", func(v e) string { return v.Verb }},
		{"ACTIVITY", func(v e) string { return truncate(eventTitle(v), 40) }, "activity", func(v e) string { return v.Activity }},
		{"", nil, "title", func(v e) string { return v.Title }},
		{"", nil, "course_id", func(v e) string { return v.CourseID }},
		{"", nil, "registration", func(v e) string { return v.Registration }},
		{"RESULT", func(v e) string { return truncate(eventResult(v), 50) }, "score", func(v e) string { return optRatio(v.Score) }},
		{"", nil, "success", func(v e) string { return optBool(v.Success) }},
		{"", nil, "completion", func(v e) string { return optBool(v.Completion) }},
		{"", nil, "response", func(v e) string { return v.Response }},
		{"", nil, "duration_seconds", func(v e) string { return optSeconds(v.Duration) }},
		{"", nil, "statement_id", func(v e) string { return v.StatementID }},
	}
	if out.format == "csv" {
		return writeRows(out, cols, d.Timeline)
	}
	if d.Name != "" {
		fmt.Fprintf(out.w, "Learner: %s <%s>\n", tableCell(d.Name), tableCell(d.Learner))
	} else {
		fmt.Fprintf(out.w, "Learner: %s\n", tableCell(d.Learner))
	}
	if len(d.Courses) > 0 {
		fmt.Fprintln(out.w)
		type lc = progress.LearnerCourse
		err := writeRows(out, []column[lc]{
			{"COURSE", func(c lc) string { return truncate(c.Title, 40) }, "", nil},
			{"STATUS", func(c lc) string { return string(c.Row.Status) }, "", nil},
			{"PROGRESS", func(c lc) string {
				return fmt.Sprintf("%s (%d of %d lessons)", pct(c.Row.Progress), viewedCount(c.Lessons), len(c.Lessons))
			}, "", nil},
			{"SCORE", func(c lc) string { return optPct(c.Row.Score) }, "", nil},
			{"ATTEMPTS", func(c lc) string { return itoaCell(c.Row.Attempts) }, "", nil},
			{"TIME", func(c lc) string { return span(c.Row.TimeSpent) }, "", nil},
			{"LAST SEEN", func(c lc) string { return day(c.Row.LastSeen) }, "", nil},
		}, d.Courses)
		if err != nil {
			return err
		}
	}
	fmt.Fprintln(out.w)
	return writeRows(out, cols, d.Timeline)
}

func viewedCount(ls []progress.LessonViewed) int {
	n := 0
	for _, l := range ls {
		if l.Viewed {
			n++
		}
	}
	return n
}

func eventTitle(v progress.Event) string {
	if v.Title != "" {
		return v.Title
	}
	if v.CourseID != "" {
		return strings.TrimPrefix(v.Activity, strings.TrimRight(v.CourseID, "/")+"/")
	}
	return v.Activity
}

// eventResult is an event's result in a few words.
func eventResult(v progress.Event) string {
	var parts []string
	if v.Score != nil {
		parts = append(parts, "score "+pct(*v.Score))
	}
	if v.Success != nil {
		parts = append(parts, map[bool]string{true: "right", false: "wrong"}[*v.Success])
	}
	if v.Response != "" {
		parts = append(parts, strconv.Quote(v.Response))
	}
	if v.Duration > 0 {
		parts = append(parts, span(v.Duration))
	}
	return strings.Join(parts, ", ")
}

func optBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func optSeconds(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return seconds(d)
}

func (out *reportOut) questions(rows []progress.QuestionRow) error {
	if out.format == "json" {
		return out.json(map[string]any{"questions": nonNil(rows)})
	}
	type r = progress.QuestionRow
	return writeRows(out, []column[r]{
		{"QUESTION", func(q r) string { return q.ID }, "question_id", func(q r) string { return q.ID }},
		{"LESSON", func(q r) string { return q.LessonID }, "lesson_id", func(q r) string { return q.LessonID }},
		{"KIND", func(q r) string { return q.Kind }, "kind", func(q r) string { return q.Kind }},
		{"", nil, "prompt", func(q r) string { return q.Prompt }},
		{"ATTEMPTS", func(q r) string { return itoaCell(q.Attempts) }, "attempts", func(q r) string { return itoaCell(q.Attempts) }},
		{"LEARNERS", func(q r) string { return itoaCell(q.Learners) }, "learners", func(q r) string { return itoaCell(q.Learners) }},
		{"", nil, "correct", func(q r) string { return itoaCell(q.Correct) }},
		{"CORRECT", func(q r) string { return pct(q.CorrectRate) }, "correct_rate", func(q r) string { return ratio(q.CorrectRate) }},
		{"COMMON WRONG ANSWERS", func(q r) string { return truncate(wrongAnswers(q.WrongAnswers), 60) }, "wrong_answers", func(q r) string { return wrongAnswers(q.WrongAnswers) }},
	}, rows)
}

// wrongAnswers lists responses with their counts: "b (12); c (3)".
func wrongAnswers(as []progress.AnswerCount) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = fmt.Sprintf("%s (%d)", a.Response, a.Count)
	}
	return strings.Join(parts, "; ")
}

func (out *reportOut) responses(rows []progress.ResponseRow) error {
	if out.format == "json" {
		return out.json(map[string]any{"responses": nonNil(rows)})
	}
	type r = progress.ResponseRow
	return writeRows(out, []column[r]{
		{"TIME", func(x r) string { return day(x.Time) }, "time", func(x r) string { return stamp(x.Time) }},
		{"LEARNER", func(x r) string { return truncate(learnerLabel(x.Name, x.Learner), 30) }, "learner", func(x r) string { return x.Learner }},
		{"", nil, "name", func(x r) string { return x.Name }},
		{"QUESTION", func(x r) string { return x.QuestionID }, "question_id", func(x r) string { return x.QuestionID }},
		{"KIND", func(x r) string { return x.Kind }, "kind", func(x r) string { return x.Kind }},
		{"", nil, "prompt", func(x r) string { return x.Prompt }},
		{"TEXT", func(x r) string { return truncate(x.Text, 60) }, "text", func(x r) string { return x.Text }},
		{"", nil, "statement_id", func(x r) string { return x.StatementID }},
	}, rows)
}

func learnerLabel(name, ifi string) string {
	if name != "" {
		return name
	}
	return ifi
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
