package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/lrs/sqlstore"
	"github.com/coursekit/coursekit/pkg/course"
)

type coursesCmd struct{ stdout, stderr io.Writer }

const coursesUsage = `
Usage:
  coursekit courses add [--db DSN] DIR...
  coursekit courses list [--db DSN] [--json]

add tells the LRS the structure of each course folder (lessons, questions,
activity ids), so that reports show every lesson and question, also those
nobody has opened yet. A course already registered is replaced. Statements
are matched to a course by its id prefix; statements stored before a course
was first registered are folded into progress again. Packages (zips) do not
carry the course source: give the course folder.
`

func (c *coursesCmd) Run(ctx context.Context, args []string) error {
	return runSubcommand(ctx, "courses", coursesUsage, c.stdout, args,
		subcommand{"add", c.add}, subcommand{"list", c.list})
}

func (c *coursesCmd) add(ctx context.Context, args []string) error {
	fs := newFlagSet("courses add", coursesUsage, c.stdout)
	db := dbFlag(fs)
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usagef("courses add needs at least one course folder")
	}
	var courses []progress.Course
	for _, dir := range dirs {
		if strings.HasSuffix(strings.ToLower(dir), ".zip") {
			return usagef("%s: packages do not carry the course source; give the course folder", dir)
		}
		loaded, err := course.Load(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		courses = append(courses, progress.FromCourse(loaded))
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	defer store.Close()
	for _, pc := range courses {
		if err := store.Progress().PutCourse(ctx, pc); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "registered %s (%d lessons, %d questions)\n", pc.ID, len(pc.Lessons), len(pc.Questions))
	}
	return nil
}

func (c *coursesCmd) list(ctx context.Context, args []string) error {
	fs := newFlagSet("courses list", coursesUsage, c.stdout)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("courses list takes no arguments")
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	defer store.Close()
	courses, err := store.Progress().RegisteredCourses(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(c.stdout, courses)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tVERSION\tLESSONS\tQUESTIONS")
	for _, pc := range courses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", pc.ID, pc.Title, pc.Version, len(pc.Lessons), len(pc.Questions))
	}
	return tw.Flush()
}

// registerCourses registers the course folders found directly under dir,
// or dir itself when it holds course.yaml, for coursekit serve --courses.
func registerCourses(ctx context.Context, store *sqlstore.Store, dir string) ([]string, error) {
	dirs := []string{dir}
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); err != nil {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("--courses: %w", err)
		}
		dirs = dirs[:0]
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), "course.yaml")); e.IsDir() && err == nil {
				dirs = append(dirs, filepath.Join(dir, e.Name()))
			}
		}
	}
	var ids []string
	for _, d := range dirs {
		loaded, err := course.Load(d)
		if err != nil {
			return nil, fmt.Errorf("--courses %s: %w", d, err)
		}
		pc := progress.FromCourse(loaded)
		if err := store.Progress().PutCourse(ctx, pc); err != nil {
			return nil, err
		}
		ids = append(ids, pc.ID)
	}
	return ids, nil
}

type reportsCmd struct{ stdout, stderr io.Writer }

const reportsUsage = `
Usage: coursekit reports rebuild [--db DSN]

rebuild drops every learner's progress and folds all stored statements
again (voided ones left out). coursekit serve keeps progress up to date by
itself; rebuild is for after a change in how progress is computed.
`

func (c *reportsCmd) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			newFlagSet("reports", reportsUsage, c.stdout).Usage()
			return nil
		}
		return usagef("reports needs the subcommand rebuild")
	}
	fs := newFlagSet("reports rebuild", reportsUsage, c.stdout)
	db := dbFlag(fs)
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("reports rebuild takes no arguments")
	}
	logger := newLogger(c.stderr, "text")
	store, err := openStore(ctx, *db, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	ps := store.Progress()
	if err := progress.NewWorker(ps, logger).Rebuild(ctx); err != nil {
		return err
	}
	seq, err := ps.Cursor(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "progress rebuilt from statements up to seq %d\n", seq)
	return nil
}
