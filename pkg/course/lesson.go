package course

import (
	"bytes"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"
)

// lessonFile is a lesson while it loads: its source, parsed tree and where
// its parts sit in the file.
type lessonFile struct {
	lesson *Lesson
	r      reporter
	src    []byte
	// bodyOff is where the Markdown starts in src, after the front matter.
	bodyOff    int
	lineStarts []int
	doc        ast.Node
	anchors    map[string]bool
	// listed is set when the outline names the lesson; duplicate when its
	// id is taken by another lesson, which is reported once.
	listed, duplicate bool
	// idNode is the front matter's id, when it overrides the file name.
	idNode *yaml.Node
}

// position returns the 1-based line and column of a byte offset in the body.
func (lf *lessonFile) position(bodyOffset int) (int, int) {
	off := lf.bodyOff + bodyOffset
	i := sort.Search(len(lf.lineStarts), func(i int) bool { return lf.lineStarts[i] > off }) - 1
	return i + 1, off - lf.lineStarts[i] + 1
}

func (lf *lessonFile) body() []byte { return lf.src[lf.bodyOff:] }

// nodePos is the position of a node, or of the nearest ancestor that has one.
func (lf *lessonFile) nodePos(n ast.Node) (int, int) {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return lf.position(n.Lines().At(0).Start)
		}
		if p := n.Pos(); p >= 0 {
			return lf.position(p)
		}
	}
	return lf.position(0)
}

// lineStarts returns the offset of each line; like CommonMark and YAML it
// takes "\n", "\r\n" and a lone "\r" as line endings.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' || b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// readLesson reads the front matter and parses the Markdown of the lesson
// at rel (course-relative). Links are resolved later, once every lesson's
// headings are known.
func (ld *loader) readLesson(rel string, src []byte) *lessonFile {
	l := &Lesson{File: rel, ID: strings.TrimSuffix(path.Base(rel), ".md")}
	lf := &lessonFile{lesson: l, r: ld.reporter(rel), src: src, lineStarts: lineStarts(src), anchors: map[string]bool{}}

	front, bodyOff, ok := splitFrontMatter(src)
	if !ok {
		lf.r.at(1, 1, "lesson has no front matter; start the file with a line '---', then 'title: …', then '---'")
	} else {
		lf.bodyOff = bodyOff
		d := &yamlDoc{r: lf.r, pos: func(line, col int) (int, int) { return line + 1, col }}
		if root := d.parse(front, "the front matter"); root != nil {
			ld.readFrontMatter(d, root, lf)
		}
	}
	if !validID(l.ID) {
		if lf.idNode == nil {
			lf.r.at(1, 1, "lesson id %q (from the file name) is not valid: %s; rename the file", l.ID, idRule)
		}
	}

	lf.doc = ld.md.Parser().Parse(text.NewReader(lf.body()))
	counts := map[string]int{}
	_ = ast.Walk(lf.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			id := slug(plainText(h, lf.body()))
			if c := counts[id]; c > 0 {
				counts[id]++
				id = id + "-" + strconv.Itoa(c)
			} else {
				counts[id] = 1
			}
			h.SetAttributeString("id", []byte(id))
			lf.anchors[id] = true
			l.Headings = append(l.Headings, id)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return lf
}

// splitFrontMatter returns the YAML between a leading '---' line and the next
// '---' (or '...') line, and the offset where the Markdown starts.
func splitFrontMatter(src []byte) (front []byte, bodyOff int, ok bool) {
	src0 := src
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	bom := len(src0) - len(src)
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \r")) != "---" {
		return nil, 0, false
	}
	off := len(first) + 1
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if t := string(bytes.TrimRight(line, " \r")); t == "---" || t == "..." {
			end := off + len(line)
			if end < len(src) {
				end++
			}
			return src[len(first)+1 : off], bom + end, true
		}
		off += len(line) + 1
		rest = next
	}
	return nil, 0, false
}

func (ld *loader) readFrontMatter(d *yamlDoc, root *yaml.Node, lf *lessonFile) {
	l := lf.lesson
	known := []string{"id", "title", "objectives", "duration", "exercise_files"}
	seen := d.fields(root, "the front matter", known, func(key string, v *yaml.Node) {
		switch key {
		case "id":
			if s, ok := d.text(v, key); ok {
				if !validID(s) {
					d.errorf(v, "lesson id %q is not valid: %s", s, idRule)
				}
				l.ID, lf.idNode = s, v
			}
		case "title":
			l.Title, _ = d.text(v, key)
		case "objectives":
			l.Objectives = d.texts(v, key)
		case "duration":
			if s, ok := d.text(v, key); ok {
				dur, err := parseDuration(s)
				if err != nil {
					d.errorf(v, "duration %q is not a duration; %v", s, err)
				}
				l.Duration = dur
			}
		case "exercise_files":
			d.list(v, key, func(item *yaml.Node) {
				link, node := readLink(d, item, "an exercise file")
				if node == nil {
					return
				}
				line, col := d.pos(node.Line, node.Column)
				href, ok := ld.resolveHref(lf.r, line, col, path.Dir(lf.lesson.File), link.Href, fileLink)
				if !ok {
					return
				}
				link.Href, link.External = href.href, href.external
				l.ExerciseFiles = append(l.ExerciseFiles, link)
			})
		}
	})
	d.require(root, seen, "the front matter", "title")
}
