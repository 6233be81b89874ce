package course

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a course, at a position in one of its files.
type Problem struct {
	// File is the path of the file, joined onto the course folder as given to
	// Load, so it can be opened from where the command ran.
	File string `json:"file"`
	// Line and Col are 1-based; Col counts bytes. Zero means unknown.
	Line    int    `json:"line"`
	Col     int    `json:"column"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, max(p.Line, 1), max(p.Col, 1), p.Message)
}

// Problems is every problem found in a course. Load returns it as its error
// when the course is not valid.
type Problems []Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems in course:", len(ps))
	for _, p := range ps {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}

// sort orders problems by file, then position, keeping the order of problems
// reported at the same place.
func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(fileRank(a.File), fileRank(b.File)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
		)
	})
}

// fileRank puts course.yaml first: its problems often explain the others.
func fileRank(file string) int {
	if strings.HasSuffix(file, courseFile) {
		return 0
	}
	return 1
}

// reporter collects problems for one file.
type reporter struct {
	file  string // as shown in problems
	rel   string // relative to the course folder, for messages
	probs *Problems
}

func (r reporter) at(line, col int, format string, args ...any) {
	*r.probs = append(*r.probs, Problem{File: r.file, Line: line, Col: col, Message: fmt.Sprintf(format, args...)})
}
