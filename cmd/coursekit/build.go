package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/pkg/course"
)

type buildCmd struct{ stdout, stderr io.Writer }

const buildUsage = `
Usage: coursekit build [--format scorm12,scorm2004] [--out dist] [--sco-per course|lesson] [--stats] DIR

Builds LMS packages from the course in DIR: one zip per format, named
OUT/<course>-<format>-<version>.zip, and prints their paths. Every problem in
the course is reported before anything is written; a failed build leaves no
zip behind. The same course always gives byte-identical zips.
`

func (c *buildCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("build", buildUsage, c.stdout)
	formats := fs.String("format", joinFormats(packager.Formats), "comma-separated `formats` to build")
	out := fs.String("out", "dist", "output `folder`")
	scoPer := fs.String("sco-per", "course", "`course`: one SCO with the player's navigation; lesson: one SCO per lesson, LMS navigation")
	stats := fs.Bool("stats", false, "print sizes and timings")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("build takes one course folder, got %d arguments", len(rest))
	}
	fmts, err := packager.ParseFormats(*formats)
	if err != nil {
		return usagef("%v", err)
	}
	if *scoPer != "course" && *scoPer != "lesson" {
		return usagef("--sco-per must be course or lesson, not %q", *scoPer)
	}

	start := time.Now()
	crs, err := course.Load(rest[0])
	var probs course.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(c.stderr, p.String())
		}
		fmt.Fprintf(c.stderr, "%s: %s; nothing was built\n", rest[0], plural(len(probs), "problem"))
		return errSilent
	}
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	results, err := packager.Build(ctx, crs, packager.Options{Formats: fmts, OutDir: *out, SCOPerLesson: *scoPer == "lesson"})
	if err != nil {
		return err
	}
	for _, r := range results {
		fmt.Fprintln(c.stdout, r.Path)
	}
	if *stats {
		fmt.Fprintf(c.stderr, "load %s: %s\n", rest[0], loaded.Round(time.Microsecond))
		for _, r := range results {
			fmt.Fprintf(c.stderr, "%-9s %8d bytes %5d entries %10s  %s\n", r.Format, r.Bytes, r.Entries, r.Elapsed.Round(time.Microsecond), r.Path)
		}
		fmt.Fprintf(c.stderr, "total %s, peak RSS %s\n", time.Since(start).Round(time.Microsecond), peakRSS())
	}
	return nil
}

func joinFormats(fs []packager.Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ",")
}
