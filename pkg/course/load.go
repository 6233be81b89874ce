package course

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// LessonsDir is the folder, inside a course, that holds the lesson files.
const LessonsDir = "lessons"

// maxFileSize bounds what the loader reads of one text file; a lesson or
// course.yaml this large is a mistake, not a course.
const maxFileSize = 8 << 20

type loader struct {
	dir           string
	md            goldmark.Markdown
	probs         Problems
	lessonsByFile map[string]*lessonFile
	blockIDs      map[string]string
	files         map[string]bool
}

func newLoader(dir string) *loader {
	return &loader{
		dir:           dir,
		md:            newMarkdown(),
		lessonsByFile: map[string]*lessonFile{},
		blockIDs:      map[string]string{},
		files:         map[string]bool{},
	}
}

func (ld *loader) reporter(rel string) reporter {
	return reporter{file: filepath.Join(ld.dir, filepath.FromSlash(rel)), rel: rel, probs: &ld.probs}
}

// Load reads and validates the course in dir. A course with problems gives
// an error of type Problems listing every one of them, sorted by file and
// position; other errors (an unreadable folder) are returned as they are.
func Load(dir string) (*Course, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load course: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("load course: %s is not a folder; give the course folder that holds course.yaml", dir)
	}
	ld := newLoader(dir)
	c := &Course{Dir: dir}
	if err := ld.load(c); err != nil {
		return nil, err
	}
	if len(ld.probs) > 0 {
		ld.probs.sort()
		return nil, ld.probs
	}
	return c, nil
}

func (ld *loader) load(c *Course) error {
	// Lesson files are listed first so that links in course.yaml and the
	// lessons can be checked against them.
	names, err := ld.lessonFileNames()
	if err != nil {
		return err
	}
	var lessons []*lessonFile
	for _, rel := range names {
		src, err := ld.readFile(rel)
		if err != nil {
			return err
		}
		lf := ld.readLesson(rel, src)
		ld.lessonsByFile[rel] = lf
		lessons = append(lessons, lf)
	}

	r := ld.reporter(courseFile)
	src, err := ld.readFile(courseFile)
	var refs []outlineRef
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.at(1, 1, "course.yaml not found; every course needs one (run 'coursekit new' to see an example)")
	case err != nil:
		return err
	default:
		d := &yamlDoc{r: r, pos: func(line, col int) (int, int) { return line, col }}
		var hrefs []hrefRef
		refs, hrefs = readManifest(d, src, c)
		for _, h := range hrefs {
			line, col := d.pos(h.node.Line, h.node.Column)
			if t, ok := ld.resolveHref(r, line, col, ".", h.link.Href, fileLink); ok {
				h.link.Href, h.link.External = t.href, t.external
			}
		}
	}

	byID := ld.lessonIDs(lessons)
	ld.placeLessons(c, r, refs, byID)
	for _, lf := range lessons {
		ld.buildBody(lf)
		if !lf.listed && !lf.duplicate && len(refs) > 0 {
			lf.r.at(1, 1, "lesson %q is not in the outline of course.yaml; add it to a section's lessons, or delete the file", lf.lesson.ID)
		}
	}
	for f := range ld.files {
		c.Files = append(c.Files, f)
	}
	sort.Strings(c.Files)
	return nil
}

func (ld *loader) lessonFileNames() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(ld.dir, LessonsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("list lessons: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(path.Ext(e.Name()), ".md") {
			names = append(names, path.Join(LessonsDir, e.Name()))
		}
	}
	return names, nil
}

// readFile reads a course file, refusing ones too large to be lessons.
func (ld *loader) readFile(rel string) ([]byte, error) {
	name := filepath.Join(ld.dir, filepath.FromSlash(rel))
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(f, maxFileSize+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if b.Len() > maxFileSize {
		return nil, fmt.Errorf("read %s: larger than %d MiB; split it into smaller lessons", name, maxFileSize>>20)
	}
	return b.Bytes(), nil
}

// lessonIDs maps each lesson id to its file and reports ids used twice.
func (ld *loader) lessonIDs(lessons []*lessonFile) map[string]*lessonFile {
	byID := map[string]*lessonFile{}
	for _, lf := range lessons {
		id := lf.lesson.ID
		if first, dup := byID[id]; dup {
			line, col := 1, 1
			if lf.idNode != nil {
				line, col = lf.idNode.Line+1, lf.idNode.Column
			}
			lf.r.at(line, col, "duplicate lesson id %q (also %s); give each lesson its own id", id, first.lesson.File)
			lf.duplicate = true
			continue
		}
		byID[id] = lf
	}
	return byID
}

// placeLessons puts the lessons in outline order and reports outline
// entries that name no lesson, lessons listed twice, and section ids that
// clash.
func (ld *loader) placeLessons(c *Course, r reporter, refs []outlineRef, byID map[string]*lessonFile) {
	sectionIDs := map[string]bool{}
	for _, s := range c.Sections {
		sectionIDs[s.ID] = true
	}
	for _, ref := range refs {
		at := func(format string, args ...any) { r.at(ref.node.Line, ref.node.Column, format, args...) }
		lf := byID[ref.id]
		switch {
		case lf == nil:
			at("lesson %q is in the outline but %s does not exist%s", ref.id, path.Join(LessonsDir, ref.id+".md"), suggestLesson(ref.id, byID))
		case lf.listed:
			at("lesson %q is listed twice in the outline; list each lesson once", ref.id)
		case sectionIDs[ref.id]:
			at("lesson id %q is also a section id; rename one of them", ref.id)
		default:
			lf.listed = true
			lf.lesson.Section = ref.section
			ref.section.Lessons = append(ref.section.Lessons, lf.lesson)
			c.Lessons = append(c.Lessons, lf.lesson)
		}
	}
}

func suggestLesson(id string, byID map[string]*lessonFile) string {
	ids := make([]string, 0, len(byID))
	for k := range byID {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		return "; create it"
	}
	if s := suggest(id, ids); strings.HasPrefix(s, "; did you mean") {
		return s
	}
	return "; create it or fix the id"
}

// buildBody resolves the links of a lesson, reads its interactive blocks,
// and renders the rest to HTML.
func (ld *loader) buildBody(lf *lessonFile) {
	body := lf.body()
	var quotes []*ast.Blockquote
	lastHTMLLine := 0
	_ = ast.Walk(lf.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			if line, col := lf.nodePos(n); line != lastHTMLLine {
				lf.r.at(line, col, "raw HTML is not allowed in lessons; use Markdown (see docs/course-format.md)")
				lastHTMLLine = line
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			ld.resolveLink(lf, n, &n.Destination, textLink)
		case *ast.Image:
			if strings.TrimSpace(plainText(n, body)) == "" {
				line, col := lf.nodePos(n)
				lf.r.at(line, col, "image %q has no alt text; describe it inside ![…] for learners who cannot see it", n.Destination)
			}
			ld.resolveLink(lf, n, &n.Destination, mediaLink)
		case *ast.AutoLink:
			setExternal(n)
		case *ast.FencedCodeBlock:
			info := string(n.Language(body))
			if slices.Contains(blockKinds, info) && n.Parent() != lf.doc {
				line, col := lf.nodePos(n)
				lf.r.at(line, col, "%s block is nested inside a list or quote; move it to the top level of the lesson, unindented", info)
			} else if k := suggestKind(info); k != "" {
				line, col := lf.nodePos(n)
				lf.r.at(line, col, "code block %q is not an interactive block; did you mean %q?", info, k)
			}
		case *ast.Blockquote:
			quotes = append(quotes, n)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		transformQuote(q, body)
	}

	var html bytes.Buffer
	flush := func() {
		if html.Len() > 0 {
			lf.lesson.Body = append(lf.lesson.Body, HTML(html.String()))
			html.Reset()
		}
	}
	for n := lf.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if fcb, ok := n.(*ast.FencedCodeBlock); ok {
			if kind := string(fcb.Language(body)); slices.Contains(blockKinds, kind) {
				flush()
				if b := ld.readBlock(lf, fcb, kind); b != nil {
					lf.lesson.Body = append(lf.lesson.Body, b)
				}
				continue
			}
		}
		if err := ld.md.Renderer().Render(&html, body, n); err != nil {
			line, col := lf.nodePos(n)
			lf.r.at(line, col, "cannot render this block: %v", err)
		}
	}
	flush()
}

// resolveLink checks a link or image in a lesson and rewrites its
// destination to the player's address for it.
func (ld *loader) resolveLink(lf *lessonFile, n ast.Node, dest *[]byte, kind linkKind) {
	line, col := lf.nodePos(n)
	raw := string(*dest)
	t, ok := ld.resolveHref(lf.r, line, col, path.Dir(lf.lesson.File), raw, kind)
	if !ok {
		return
	}
	switch {
	case t.external:
		setExternal(n)
	case t.lesson != nil || t.href == "":
		target := lf
		if t.lesson != nil {
			target = t.lesson
		}
		if t.anchor != "" && !target.anchors[t.anchor] {
			lf.r.at(line, col, "link %q points to #%s, which is not a heading in %s%s", raw, t.anchor, target.lesson.File, suggestAnchor(t.anchor, target))
			return
		}
		t.href = route(target.lesson.ID, t.anchor)
	}
	*dest = []byte(t.href)
}

func suggestAnchor(anchor string, lf *lessonFile) string {
	if len(lf.lesson.Headings) == 0 {
		return " (it has no headings)"
	}
	if s := suggest(anchor, lf.lesson.Headings); strings.HasPrefix(s, "; did you mean") {
		return s
	}
	return "; its anchors are " + strings.Join(lf.lesson.Headings, ", ")
}

func setExternal(n ast.Node) {
	n.SetAttributeString("class", []byte("ck-external"))
	n.SetAttributeString("target", []byte("_blank"))
	n.SetAttributeString("rel", []byte("noopener noreferrer"))
}
