package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/coursekit/coursekit/pkg/course/starter"
)

type newCmd struct{ stdout, stderr io.Writer }

const newUsage = `
Usage: coursekit new [--title TITLE] [--id IRI] DIR

Writes a small starter course into DIR, which must not exist or be empty.
The starter lints clean and shows every kind of lesson block; edit it into
your course. The course format is described in docs/course-format.md.
`

func (c *newCmd) Run(_ context.Context, args []string) error {
	fs := newFlagSet("new", newUsage, c.stdout)
	title := fs.String("title", "My Course", "course `title`")
	id := fs.String("id", "", "course `IRI` (default https://example.org/courses/<folder name>; use your own domain)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("new takes one folder, got %d arguments", len(rest))
	}
	dir := rest[0]
	if *id == "" {
		name := strings.ToLower(filepath.Base(filepath.Clean(dir)))
		*id = "https://example.org/courses/" + strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				return r
			}
			return '-'
		}, name)
	}
	if err := starter.Write(dir, starter.Options{ID: *id, Title: *title}); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Wrote a starter course to %s.\nNext: edit %s, then run 'coursekit lint %s'.\n",
		dir, filepath.Join(dir, "course.yaml"), dir)
	return nil
}
