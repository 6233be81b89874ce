package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/xapi"
)

type reportCmd struct {
	stdout, stderr io.Writer
	// reader, when set, answers instead of --db or --endpoint (tests).
	reader progress.Reader
}

const reportUsage = `
Usage:
  coursekit report courses   [--db DSN | --endpoint URL] [flags]
  coursekit report learners  --course ID [--status S] [--sort KEY] [--limit N] [flags]
  coursekit report learner   LEARNER [flags]
  coursekit report questions --course ID [flags]
  coursekit report responses --course ID [flags]

Reports on learners' progress in the registered courses: per course
(learners started, completed and passed, completion rate, median score and
time), per learner of a course (status, progress, score, time, last seen),
one learner's timeline, per question (attempts, share correct, most common
wrong answers) and the texts of reflections and essays.

ID is the id in course.yaml. LEARNER is an e-mail address (a@b or
mailto:a@b), an account as HOMEPAGE|NAME, or an IFI (mbox:mailto:a@b,
account:HOMEPAGE|NAME, openid:URL, mbox_sha1sum:HEX).

Reads a local database (--db) or a coursekit LRS (--endpoint, with a
credential that may read statements: statements/read, all/read or all; one
with only statements/read/mine sees the records of its own statements).
Prints a table, or CSV (a header row, then one row per course, learner,
timeline event, question or response) or JSON.
`

// reportKinds are the reports, in the order usage lists them.
var reportKinds = []string{"courses", "learners", "learner", "questions", "responses"}

func (c *reportCmd) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("report needs one of %s", strings.Join(reportKinds, ", "))
	}
	kind := args[0]
	switch {
	case kind == "-h" || kind == "-help" || kind == "--help":
		newFlagSet("report", reportUsage, c.stdout).Usage()
		return nil
	case !slices.Contains(reportKinds, kind):
		return usagef("unknown report %q; use one of %s", kind, strings.Join(reportKinds, ", "))
	}
	fs := newFlagSet("report "+kind, reportUsage, c.stdout)
	db := dbFlag(fs)
	endpoint := fs.String("endpoint", "", "read from the coursekit LRS at this `URL` instead of a database")
	// Not the flag's default: usage would print the secret.
	cred := fs.String("credential", "", "`KEY:SECRET` for --endpoint (default: $COURSEKIT_LRS_CREDENTIAL)")
	courseID := fs.String("course", "", "the course's `id` in course.yaml")
	since := fs.String("since", "", "only activity at or after this `time` (RFC 3339 or YYYY-MM-DD)")
	until := fs.String("until", "", "only activity before this `time` (RFC 3339, or YYYY-MM-DD for up to the end of that day)")
	group := fs.String("group", "", "only learners of this `group` (context.team), by name or IFI")
	status := fs.String("status", "", "learners: only those with this `status`: not started, in progress, completed, passed or failed")
	sortKey := fs.String("sort", "", "learners: sort by `key`: name, status, progress, score, time or last; a - prefix sorts descending")
	limit := fs.Int("limit", 0, "learners: at most this many `rows` (0: all)")
	asCSV := fs.Bool("csv", false, "print CSV")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	f := progress.Filter{Course: *courseID, Group: *group, Status: progress.Status(*status), Sort: *sortKey, Limit: *limit}
	if err := c.checkArgs(kind, rest, &f, *since, *until, *asCSV && *asJSON); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	reader, closeReader, err := c.open(ctx, *db, *endpoint, *cred, given)
	if err != nil {
		return err
	}
	defer closeReader()

	format := "table"
	if *asCSV {
		format = "csv"
	} else if *asJSON {
		format = "json"
	}
	out := &reportOut{w: c.stdout, format: format}
	return explainReportError(out.report(ctx, reader, kind, f), f)
}

// report asks reader for one report and writes it.
func (out *reportOut) report(ctx context.Context, reader progress.Reader, kind string, f progress.Filter) error {
	switch kind {
	case "courses":
		rows, err := reader.Courses(ctx, f)
		if err != nil {
			return err
		}
		return out.courses(rows)
	case "learners":
		rows, total, err := reader.Learners(ctx, f)
		if err != nil {
			return err
		}
		return out.learners(rows, total)
	case "learner":
		d, err := reader.Learner(ctx, f)
		if err != nil {
			return err
		}
		return out.learner(d)
	case "questions":
		rows, err := reader.Questions(ctx, f)
		if err != nil {
			return err
		}
		return out.questions(rows)
	default:
		rows, err := reader.Responses(ctx, f)
		if err != nil {
			return err
		}
		return out.responses(rows)
	}
}

// checkArgs checks the arguments a report takes and completes f from them.
func (c *reportCmd) checkArgs(kind string, rest []string, f *progress.Filter, since, until string, bothFormats bool) error {
	var err error
	if bothFormats {
		return usagef("use --csv or --json, not both")
	}
	if kind == "learner" {
		if len(rest) != 1 {
			return usagef("report learner takes one LEARNER (an e-mail address, HOMEPAGE|NAME or an IFI)")
		}
		if f.Learner, err = learnerIFI(rest[0]); err != nil {
			return usagef("%v", err)
		}
	} else if len(rest) > 0 {
		return usagef("report %s takes no arguments", kind)
	}
	if f.Course == "" && kind != "courses" && kind != "learner" {
		return usagef("report %s needs --course ID (the id in course.yaml)", kind)
	}
	if kind != "learners" && (f.Status != "" || f.Sort != "" || f.Limit != 0) {
		return usagef("--status, --sort and --limit are for report learners")
	}
	if f.Status != "" && !slices.Contains(progress.Statuses, f.Status) {
		return usagef("--status %q: use not started, in progress, completed, passed or failed", f.Status)
	}
	if f.Sort != "" && !slices.Contains([]string{"name", "status", "progress", "score", "time", "last"}, strings.TrimPrefix(f.Sort, "-")) {
		return usagef("--sort %q: use name, status, progress, score, time or last, with - for descending", f.Sort)
	}
	if f.Limit < 0 {
		return usagef("--limit must not be negative")
	}
	if f.Since, err = progress.ParseBound(since, false); err != nil {
		return usagef("--since %q: %v", since, err)
	}
	if f.Until, err = progress.ParseBound(until, true); err != nil {
		return usagef("--until %q: %v", until, err)
	}
	return nil
}

// open returns the reader the flags name: the LRS at endpoint, or the
// database.
func (c *reportCmd) open(ctx context.Context, db, endpoint, cred string, given map[string]bool) (progress.Reader, func(), error) {
	if c.reader != nil {
		return c.reader, func() {}, nil
	}
	if endpoint == "" {
		if given["credential"] {
			return nil, nil, usagef("--credential goes with --endpoint")
		}
		store, err := openStore(ctx, db, newLogger(c.stderr, "text"))
		if err != nil {
			return nil, nil, err
		}
		return store.Progress(), func() { store.Close() }, nil
	}
	if given["db"] {
		return nil, nil, usagef("use --db or --endpoint, not both")
	}
	if !given["credential"] {
		cred = os.Getenv("COURSEKIT_LRS_CREDENTIAL")
	}
	key, secret, ok := strings.Cut(cred, ":")
	if !ok {
		return nil, nil, usagef("--endpoint needs --credential KEY:SECRET (or COURSEKIT_LRS_CREDENTIAL)")
	}
	r, err := newRemoteReader(endpoint, key, secret)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	return r, func() {}, nil
}

// learnerIFI reads a learner as the user writes one: an e-mail address
// (with or without mailto:), HOMEPAGE|NAME, or an IFI.
func learnerIFI(s string) (string, error) {
	var agent map[string]any
	kind, rest, _ := strings.Cut(s, ":")
	switch {
	case kind == "mbox":
		agent = map[string]any{"mbox": rest}
	case kind == "account":
		home, name, ok := strings.Cut(rest, "|")
		if !ok {
			return "", fmt.Errorf("learner %q: an account is account:HOMEPAGE|NAME", s)
		}
		agent = map[string]any{"account": map[string]string{"homePage": home, "name": name}}
	case kind == "openid":
		agent = map[string]any{"openid": rest}
	case kind == "mbox_sha1sum":
		agent = map[string]any{"mbox_sha1sum": rest}
	case kind == "mailto":
		agent = map[string]any{"mbox": s}
	case strings.Contains(s, "|"):
		home, name, _ := strings.Cut(s, "|")
		agent = map[string]any{"account": map[string]string{"homePage": home, "name": name}}
	case strings.Contains(s, "@"):
		agent = map[string]any{"mbox": "mailto:" + s}
	default:
		return "", fmt.Errorf("learner %q: give an e-mail address, HOMEPAGE|NAME or an IFI", s)
	}
	data, err := json.Marshal(agent)
	if err != nil {
		return "", err
	}
	a, err := xapi.ParseAgent(data, xapi.Version200)
	if err != nil {
		return "", fmt.Errorf("learner %q: %w", s, err)
	}
	return a.IFI(), nil
}

// explainReportError says what to do about an unknown course.
func explainReportError(err error, f progress.Filter) error {
	if errors.Is(err, progress.ErrUnknownCourse) {
		return fmt.Errorf("%w %q: register it with coursekit courses add, or see coursekit report courses", err, f.Course)
	}
	return err
}
