package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/packager/lrsreport"
	"github.com/coursekit/coursekit/pkg/course"
)

type buildCmd struct{ stdout, stderr io.Writer }

const buildUsage = `
Usage: coursekit build [--format scorm12,scorm2004,cmi5,xapi] [--out dist]
                      [--sco-per course|lesson] [--au-per course|lesson]
                      [--lrs-endpoint URL --lrs-credential KEY:SECRET] [--stats] DIR

Builds LMS packages from the course in DIR: one zip per format, named
OUT/<course>-<format>-<version>.zip, and prints their paths. Every problem in
the course is reported before anything is written; a failed build leaves no
zip behind. The same course always gives byte-identical zips.

Formats: scorm12 and scorm2004 (the default), cmi5 (cmi5.xml), xapi (an xAPI
"Tin Can" package, tincan.xml). With --lrs-endpoint the SCORM packages also
send xAPI statements to that LRS; the credential is readable by anyone who
opens the package, so it must only be able to write statements: the build
asks the LRS and refuses a credential that can do more (see docs/packages.md).
`

func (c *buildCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("build", buildUsage, c.stdout)
	formats := fs.String("format", joinFormats(packager.DefaultFormats), "comma-separated `formats` to build: any of "+joinFormats(packager.Formats))
	out := fs.String("out", "dist", "output `folder`")
	scoPer := fs.String("sco-per", "course", "`course`: one SCO with the player's navigation; lesson: one SCO per lesson, LMS navigation")
	auPer := fs.String("au-per", "course", "cmi5: `course`, one AU with the player's navigation; lesson: one AU per lesson, in a block per section")
	lrsEndpoint := fs.String("lrs-endpoint", "", "SCORM packages also send xAPI statements to the LRS at this xAPI base `URL`")
	// Not the flag's default: usage would print the secret.
	lrsCredential := fs.String("lrs-credential", "", "`KEY:SECRET` of a credential that may only write statements (default: $COURSEKIT_LRS_CREDENTIAL)")
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
	if *auPer != "course" && *auPer != "lesson" {
		return usagef("--au-per must be course or lesson, not %q", *auPer)
	}
	target, err := lrsTarget(fs, *lrsEndpoint, *lrsCredential, fmts)
	if err != nil {
		return err
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
	opts := packager.Options{Formats: fmts, OutDir: *out, SCOPerLesson: *scoPer == "lesson", AUPerLesson: *auPer == "lesson"}
	if target != nil {
		if err := c.checkLRS(ctx, *target); err != nil {
			return err
		}
		opts.LRS = target.Runtime()
	}
	results, err := packager.Build(ctx, crs, opts)
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

// lrsTarget reads the LRS flags: nil when SCORM packages report to no LRS.
func lrsTarget(fs *flag.FlagSet, endpoint, credential string, fmts []packager.Format) (*lrsreport.Target, error) {
	credentialGiven := false
	fs.Visit(func(f *flag.Flag) { credentialGiven = credentialGiven || f.Name == "lrs-credential" })
	if !credentialGiven {
		credential = os.Getenv("COURSEKIT_LRS_CREDENTIAL")
	}
	switch {
	case endpoint == "" && credentialGiven:
		return nil, usagef("--lrs-credential needs --lrs-endpoint")
	case endpoint == "":
		return nil, nil
	case credential == "":
		return nil, usagef("--lrs-endpoint needs --lrs-credential KEY:SECRET (or COURSEKIT_LRS_CREDENTIAL)")
	case !slices.ContainsFunc(fmts, packager.Format.IsSCORM):
		return nil, usagef("--lrs-endpoint is for SCORM packages; cmi5 and xapi packages report to the LRS their launch names")
	}
	t, err := lrsreport.Parse(endpoint, credential)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return &t, nil
}

// checkLRS refuses a credential that can do more than write statements,
// and warns about what could not be checked.
func (c *buildCmd) checkLRS(ctx context.Context, t lrsreport.Target) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := lrsreport.Check(ctx, http.DefaultClient, t)
	if err != nil {
		return fmt.Errorf("refusing to put this credential in a package: %w", err)
	}
	if v.Unchecked != "" {
		fmt.Fprintf(c.stderr, "warning: %s\n", v.Unchecked)
	}
	if t.Insecure() {
		fmt.Fprintf(c.stderr, "warning: %s is plain http: statements and the credential cross the network unencrypted; use https\n", t.Endpoint)
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
