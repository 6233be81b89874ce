// Package runtime is the course player that runs inside every package: a
// launch page, plain JavaScript and CSS (our own, no dependencies, no build
// step, no network requests) that shows a course's lessons and knowledge
// checks and reports progress, answers and scores to the LMS through the
// SCORM 1.2 or SCORM 2004 run-time API, or as xAPI statements to the LRS of
// a cmi5 LMS or an xAPI launcher; a SCORM package can also send xAPI
// statements to an LRS of its own. With no LMS it runs as a standalone
// preview.
//
// The player reads the course from coursekit/course.js, a script that sets a
// global, so that it works from file:// and inside an LMS frame without
// fetching anything. Its pure logic (scoring, completion rules, time formats,
// response patterns, the suspend_data encoding, API discovery) lives in
// scripts that also load under node, where testdata/*.test.js tests them.
package runtime

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/coursekit/coursekit/pkg/course"
)

// Standard is the run-time API the player talks to.
type Standard string

// The run-time APIs the player supports.
const (
	None      Standard = "none" // standalone preview, no LMS
	SCORM12   Standard = "scorm12"
	SCORM2004 Standard = "scorm2004"
	CMI5      Standard = "cmi5"
	XAPI      Standard = "xapi" // a Tin Can package, launched with endpoint, auth and actor
)

// Options say how a package runs the player.
type Options struct {
	Standard Standard
	// SCOPerLesson: each lesson is its own SCO (or cmi5 AU) launched as
	// index.html?lesson=<id>; the LMS navigates between lessons and the
	// player shows only that lesson (no course navigation) and reports that
	// lesson's own progress, score and completion. Otherwise one SCO runs
	// the whole course with the player's own navigation.
	SCOPerLesson bool
	// LRS, for SCORM packages only, is an LRS the player also sends xAPI
	// statements to; nil for none.
	LRS *LRS
}

// LRS is where a SCORM package sends its statements.
type LRS struct {
	// Endpoint is the xAPI base URL, ending in "/".
	Endpoint string
	// Auth is the Authorization header value, "Basic " and the credential.
	// It is in the package for anyone to read: it must only write statements.
	Auth string
}

// Asset is a file the player adds to a package, at a slash-separated path
// relative to the package root.
type Asset struct {
	Name string
	Data []byte
}

// dir is the folder, in a package, that holds the player's files other than
// the launch page.
const dir = "coursekit"

// LaunchPage is the player's launch page, at the package root.
const LaunchPage = "index.html"

//go:embed assets
var assets embed.FS

var indexTemplate = template.Must(template.ParseFS(assets, "assets/index.html.tmpl"))

// Assets returns the player files for the course, sorted by Name; the same
// course and options give the same bytes. It always includes "index.html"
// (the launch page, at the package root) and puts everything else under
// "coursekit/", including coursekit/course.js, which holds the course. Course
// media are not included: lessons link them by their course-relative paths,
// and the packager copies c.Files beside index.html.
func Assets(c *course.Course, opts Options) ([]Asset, error) {
	if c == nil {
		return nil, errors.New("player assets: no course")
	}
	switch opts.Standard {
	case None, SCORM12, SCORM2004, CMI5, XAPI:
	default:
		return nil, fmt.Errorf("player assets: unknown standard %q; use %q, %q, %q, %q or %q", opts.Standard, None, SCORM12, SCORM2004, CMI5, XAPI)
	}
	if opts.LRS != nil && opts.Standard != SCORM12 && opts.Standard != SCORM2004 {
		return nil, fmt.Errorf("player assets: an LRS of its own is for SCORM packages; %s packages get theirs from the launch", opts.Standard)
	}
	if opts.LRS != nil && (!strings.HasSuffix(opts.LRS.Endpoint, "/") || !strings.HasPrefix(opts.LRS.Auth, "Basic ")) {
		return nil, errors.New("player assets: the LRS needs an endpoint ending in / and a Basic credential")
	}

	script, err := courseScript(c, opts)
	if err != nil {
		return nil, fmt.Errorf("player assets: %w", err)
	}
	page, err := launchPage(c, opts)
	if err != nil {
		return nil, fmt.Errorf("player assets: %w", err)
	}
	out := []Asset{
		{Name: LaunchPage, Data: page},
		{Name: dir + "/course.js", Data: script},
	}

	for _, name := range append(scripts(opts), "player.css") {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("player assets: %w", err)
		}
		out = append(out, Asset{Name: dir + "/" + name, Data: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// scripts are the player's scripts a package loads, in order (course.js
// comes first): a package carries only what its standard uses, so a plain
// SCORM package has no xAPI code.
func scripts(opts Options) []string {
	s := []string{"core.js", "interactions.js", "suspend.js", "scorm.js"}
	switch {
	case opts.Standard == CMI5 || opts.Standard == XAPI:
		s = append(s, "xapi.js", "lrs.js", "cmi5.js")
	case opts.LRS != nil:
		s = append(s, "xapi.js", "lrs.js", "scormlrs.js")
	}
	return append(s, "launch.js", "questions.js", "content.js", "player.js")
}

// pageData is what the launch page template needs; the player builds the
// rest from course.js.
type pageData struct {
	Title      string
	Language   string
	Standard   Standard
	LessonMode bool
	Dir        string
	Scripts    []string
}

func launchPage(c *course.Course, opts Options) ([]byte, error) {
	var b bytes.Buffer
	err := indexTemplate.Execute(&b, pageData{
		Title:      c.Title,
		Language:   c.Language,
		Standard:   opts.Standard,
		LessonMode: opts.SCOPerLesson,
		Dir:        dir,
		Scripts:    scripts(opts),
	})
	if err != nil {
		return nil, fmt.Errorf("launch page: %w", err)
	}
	return b.Bytes(), nil
}
