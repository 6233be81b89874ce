package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/coursekit/coursekit/pkg/course"
)

type lintCmd struct{ stdout, stderr io.Writer }

const lintUsage = `
Usage: coursekit lint [--format text|json] DIR

Checks the course in DIR and reports every problem at once, grouped by file,
as FILE:LINE:COL: message. Exits 0 when the course is clean, 1 when it has
problems, 2 for usage errors.
`

// lintReport is the --format json output.
type lintReport struct {
	Course   string           `json:"course"`
	OK       bool             `json:"ok"`
	Problems []course.Problem `json:"problems"`
	Summary  *courseSummary   `json:"summary,omitempty"`
}

type courseSummary struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Sections    int    `json:"sections"`
	Lessons     int    `json:"lessons"`
	Questions   int    `json:"questions"`
	Reflections int    `json:"reflections"`
	Essays      int    `json:"essays"`
	Files       int    `json:"files"`
}

func (c *lintCmd) Run(_ context.Context, args []string) error {
	fs := newFlagSet("lint", lintUsage, c.stdout)
	format := fs.String("format", "text", "output `format`: text or json")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("lint takes one course folder, got %d arguments", len(rest))
	}
	if *format != "text" && *format != "json" {
		return usagef("unknown --format %q; use text or json", *format)
	}
	dir := rest[0]
	crs, err := course.Load(dir)
	var probs course.Problems
	if err != nil && !errors.As(err, &probs) {
		return err
	}
	report := lintReport{Course: dir, OK: len(probs) == 0, Problems: probs}
	if report.Problems == nil {
		report.Problems = []course.Problem{}
	}
	if crs != nil {
		report.Summary = summarize(crs)
	}
	if *format == "json" {
		if err := printJSON(c.stdout, report); err != nil {
			return err
		}
	} else {
		c.printText(report)
	}
	if !report.OK {
		return errSilent
	}
	return nil
}

func (c *lintCmd) printText(r lintReport) {
	if r.OK {
		s := r.Summary
		fmt.Fprintf(c.stdout, "%s: ok: %q, %s, %s, %s, %s, %s, %s\n", r.Course, s.Title,
			plural(s.Sections, "section"), plural(s.Lessons, "lesson"), plural(s.Questions, "question"),
			plural(s.Reflections, "reflection"), plural(s.Essays, "essay"), plural(s.Files, "file"))
		return
	}
	files := 0
	for i, p := range r.Problems {
		if i == 0 || p.File != r.Problems[i-1].File {
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			files++
		}
		fmt.Fprintln(c.stdout, p.String())
	}
	fmt.Fprintf(c.stderr, "%s: %s in %s\n", r.Course, plural(len(r.Problems), "problem"), plural(files, "file"))
}

func summarize(c *course.Course) *courseSummary {
	s := &courseSummary{ID: c.ID, Title: c.Title, Sections: len(c.Sections), Lessons: len(c.Lessons), Files: len(c.Files)}
	for _, l := range c.Lessons {
		for _, b := range l.Body {
			switch b.(type) {
			case *course.Question:
				s.Questions++
			case *course.Reflection:
				s.Reflections++
			case *course.Essay:
				s.Essays++
			}
		}
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
