package course

import "testing"

// checkPositions fails when a problem points outside the text it was found in.
func checkPositions(t *testing.T, probs Problems, src []byte) {
	t.Helper()
	lines := len(lineStarts(src))
	for _, p := range probs {
		if p.Line < 1 || p.Col < 1 || p.Line > lines {
			t.Errorf("problem %q is outside the %d-line input", p.String(), lines)
		}
		if p.Message == "" {
			t.Errorf("problem at %d:%d has no message", p.Line, p.Col)
		}
	}
}

// FuzzLesson feeds arbitrary lesson files (front matter, Markdown, blocks)
// through the loader: it must never panic and every problem must point
// inside the file.
func FuzzLesson(f *testing.F) {
	f.Add([]byte("---\ntitle: T\n---\n\nText [a](b.md#c) ![x](../media/y.png)\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("---\r\ntitle: T\r\nduration: PT1H\r\n---\r\n> [!NOTE]\r\n> n\r\n"))
	f.Add([]byte("---\ntitle: T\nexercise_files:\n  - {title: a, href: ../../x.pdf}\n---\n> q\n>\n> — c\n"))
	f.Add([]byte("---\ntitle: T\n---\n```question\nid: q\ntype: matching\nsources: [{id: a, text: A}]\ntargets: [{id: b, text: B}]\ncorrect: {a: b}\n```\n"))
	f.Add([]byte("---\n---\n- x\n\n  ```essay\n  id: e\n  ```\n<div>"))
	f.Add([]byte("\ufeff---\nid: 1\n..."))
	f.Fuzz(func(t *testing.T, src []byte) {
		ld := newLoader("testdata/no-such-course")
		lf := ld.readLesson("lessons/fuzz.md", src)
		ld.lessonsByFile[lf.lesson.File] = lf
		ld.buildBody(lf)
		checkPositions(t, ld.probs, src)
	})
}

// FuzzQuestionBlock feeds arbitrary YAML to the question reader.
func FuzzQuestionBlock(f *testing.F) {
	f.Add([]byte("id: q\ntype: single-choice\nprompt: P\nchoices:\n  - id: a\n    text: A\ncorrect: a\n"))
	f.Add([]byte("id: q\ntype: multiple-choice\nprompt: P\nchoices: [{id: a, text: A}, {id: b, text: B}]\ncorrect: [a, z]\n"))
	f.Add([]byte("id: q\ntype: numeric\nprompt: P\ncorrect: {min: 3, max: 1}\n"))
	f.Add([]byte("id: q\ntype: fill-in\nprompt: P\ncorrect: [x, ~]\ncase_sensitive: yes\n"))
	f.Add([]byte("id: q\ntype: sequencing\nprompt: P\nchoices: [{id: a, text: A}]\ncorrect: [a, a]\n"))
	f.Add([]byte("id: &x q\ntype: *x\nprompt: *x\n"))
	f.Add([]byte("[1, 2"))
	f.Fuzz(func(t *testing.T, src []byte) {
		ld := newLoader("testdata/no-such-course")
		d := &yamlDoc{r: ld.reporter("lessons/fuzz.md"), pos: func(l, c int) (int, int) { return l, c }}
		if root := d.parse(src, "the question block"); root != nil {
			ld.readQuestion(d, root)
		}
		checkPositions(t, ld.probs, src)
	})
}

// FuzzCourseYAML feeds arbitrary course.yaml files to the manifest reader.
func FuzzCourseYAML(f *testing.F) {
	f.Add([]byte("id: https://example.org/c\ntitle: T\nlanguage: en\nversion: 1.0.0\noutline:\n  - section: s\n    title: S\n    lessons: [a]\n"))
	f.Add([]byte("completion: progress\ncompletion_threshold: 2\nmastery_score: -1\n"))
	f.Add([]byte("resources:\n  - {title: x, href: ../x.pdf}\n  - href: javascript:1\n"))
	f.Add([]byte("outline: [{section: s, lessons: [a, a]}, {section: s}]\nauthors: [{email: x}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		ld := newLoader("testdata/no-such-course")
		d := &yamlDoc{r: ld.reporter(courseFile), pos: func(l, c int) (int, int) { return l, c }}
		c := &Course{}
		_, hrefs := readManifest(d, src, c)
		for _, h := range hrefs {
			ld.resolveHref(d.r, h.node.Line, h.node.Column, ".", h.link.Href, fileLink)
		}
		checkPositions(t, ld.probs, src)
	})
}
