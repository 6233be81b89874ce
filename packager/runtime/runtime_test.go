package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/pkg/course"
)

const (
	peerSupport = "../../content/peer-support-training"
	features    = "../../testdata/courses/features"
)

func mustLoad(t *testing.T, dir string) *course.Course {
	t.Helper()
	c, err := course.Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return c
}

func mustAssets(t *testing.T, c *course.Course, opts Options) map[string][]byte {
	t.Helper()
	as, err := Assets(c, opts)
	if err != nil {
		t.Fatalf("Assets(%+v): %v", opts, err)
	}
	m := map[string][]byte{}
	for _, a := range as {
		m[a.Name] = a.Data
	}
	return m
}

var allOptions = []Options{
	{Standard: None},
	{Standard: SCORM12},
	{Standard: SCORM12, SCOPerLesson: true},
	{Standard: SCORM2004},
	{Standard: SCORM2004, SCOPerLesson: true},
	{Standard: SCORM12, LRS: &LRS{Endpoint: "https://lrs.example.org/xapi/", Auth: "Basic a2V5OnNlY3JldA=="}},
	{Standard: CMI5},
	{Standard: CMI5, SCOPerLesson: true},
	{Standard: XAPI},
}

func TestAssetsAreCompleteSortedAndDeterministic(t *testing.T) {
	common := []string{
		"coursekit/content.js", "coursekit/core.js", "coursekit/course.js", "coursekit/interactions.js",
		"coursekit/launch.js", "coursekit/player.css", "coursekit/player.js", "coursekit/questions.js",
		"coursekit/scorm.js", "coursekit/suspend.js", "index.html",
	}
	// Each package carries the xAPI code its standard uses, and no more.
	extra := func(opts Options) []string {
		switch {
		case opts.Standard == CMI5 || opts.Standard == XAPI:
			return []string{"coursekit/cmi5.js", "coursekit/lrs.js", "coursekit/xapi.js"}
		case opts.LRS != nil:
			return []string{"coursekit/lrs.js", "coursekit/scormlrs.js", "coursekit/xapi.js"}
		}
		return nil
	}
	for _, dir := range []string{peerSupport, features} {
		c, again := mustLoad(t, dir), mustLoad(t, dir)
		for _, opts := range allOptions {
			want := slices.Sorted(slices.Values(append(slices.Clone(common), extra(opts)...)))
			first, err := Assets(c, opts)
			if err != nil {
				t.Fatalf("Assets(%s, %+v): %v", dir, opts, err)
			}
			var names []string
			for _, a := range first {
				names = append(names, a.Name)
				if len(a.Data) == 0 {
					t.Errorf("%s is empty", a.Name)
				}
			}
			if !slices.Equal(names, want) {
				t.Errorf("Assets(%s, %+v) names = %q, want %q", dir, opts, names, want)
			}
			second, err := Assets(again, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range first {
				if first[i].Name != second[i].Name || !bytes.Equal(first[i].Data, second[i].Data) {
					t.Errorf("Assets(%s, %+v): %s differs between two loads of the course", dir, opts, first[i].Name)
				}
			}
		}
	}
}

// TestEveryAssetIsUsed guards against a player file no package carries.
func TestEveryAssetIsUsed(t *testing.T) {
	c := mustLoad(t, features)
	used := map[string]bool{}
	for _, opts := range allOptions {
		for name := range mustAssets(t, c, opts) {
			used[strings.TrimPrefix(name, "coursekit/")] = true
		}
	}
	entries, err := assets.ReadDir("assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tmpl") && !used[e.Name()] {
			t.Errorf("assets/%s is in no package", e.Name())
		}
	}
}

// TestLaunchPageLoadsEveryScript guards against adding a player file and
// forgetting its <script>: course.js first (the data), player.js last.
func TestLaunchPageLoadsEveryScript(t *testing.T) {
	for _, opts := range allOptions {
		launchPageLoadsEveryScript(t, opts)
	}
}

func launchPageLoadsEveryScript(t *testing.T, opts Options) {
	t.Helper()
	m := mustAssets(t, mustLoad(t, features), opts)
	page := string(m["index.html"])
	srcs := regexp.MustCompile(`<script src="([^"]+)"></script>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, s := range srcs {
		got = append(got, s[1])
	}
	var scripts []string
	for name := range m {
		if strings.HasSuffix(name, ".js") {
			scripts = append(scripts, name)
		}
	}
	if len(got) != len(scripts) {
		t.Fatalf("index.html loads %q; the player has %d scripts", got, len(scripts))
	}
	for _, s := range scripts {
		if !slices.Contains(got, s) {
			t.Errorf("index.html does not load %s", s)
		}
	}
	if got[0] != "coursekit/course.js" || got[len(got)-1] != "coursekit/player.js" {
		t.Errorf("index.html loads %q; want course.js first and player.js last", got)
	}
	if !strings.Contains(page, `<link rel="stylesheet" href="coursekit/player.css">`) {
		t.Error("index.html does not link coursekit/player.css")
	}
	for _, hook := range []string{`id="ck-status"`, `id="ck-exit"`, `id="ck-nav"`, `id="ck-main"`, `class="ck-skip" href="#ck-main"`, `lang="en-GB"`} {
		if !strings.Contains(page, hook) {
			t.Errorf("index.html has no %s", hook)
		}
	}
}

// readCourseScript decodes coursekit/course.js, which must be exactly one
// assignment of JSON to the global.
func readCourseScript(t *testing.T, script []byte) map[string]any {
	t.Helper()
	prefix, suffix := "window."+courseGlobal+" = ", ";\n"
	s := string(script)
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) {
		t.Fatalf("course.js = %.60q…; want %q JSON %q", s, prefix, suffix)
	}
	var v map[string]any
	dec := json.NewDecoder(strings.NewReader(strings.TrimSuffix(strings.TrimPrefix(s, prefix), suffix)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("course.js does not hold JSON: %v", err)
	}
	return v
}

// TestCourseScriptHoldsTheCourse checks course.js against the model: every
// lesson in order, every block with its id and kind, every question with
// its type and answer.
func TestCourseScriptHoldsTheCourse(t *testing.T) {
	for _, dir := range []string{peerSupport, features} {
		c := mustLoad(t, dir)
		data := readCourseScript(t, mustAssets(t, c, Options{Standard: SCORM2004})["coursekit/course.js"])
		if data["id"] != c.ID || data["activity"] != c.ID || data["title"] != c.Title || data["language"] != c.Language || data["version"] != c.Version {
			t.Errorf("%s: course.js metadata = %v %v %v %v", dir, data["id"], data["title"], data["language"], data["version"])
		}
		if got := fmt.Sprint(data["completion"].(map[string]any)["rule"]); got != string(c.Completion.Rule) {
			t.Errorf("%s: completion rule = %s, want %s", dir, got, c.Completion.Rule)
		}
		if m, _ := data["mastery"].(json.Number).Float64(); m != c.MasteryScore {
			t.Errorf("%s: mastery = %v, want %v", dir, m, c.MasteryScore)
		}
		lessons := data["lessons"].([]any)
		if len(lessons) != len(c.Lessons) {
			t.Fatalf("%s: course.js has %d lessons, want %d", dir, len(lessons), len(c.Lessons))
		}
		questions := 0
		for i, l := range c.Lessons {
			ld := lessons[i].(map[string]any)
			if ld["id"] != l.ID || ld["title"] != l.Title {
				t.Errorf("%s: lesson %d = %v %q, want %s %q", dir, i, ld["id"], ld["title"], l.ID, l.Title)
			}
			if want := c.ActivityID(course.LessonActivities, l.ID); ld["activity"] != want {
				t.Errorf("%s: lesson %s activity = %v, want %s", dir, l.ID, ld["activity"], want)
			}
			body := ld["body"].([]any)
			if len(body) != len(l.Body) {
				t.Fatalf("%s: lesson %s has %d blocks, want %d", dir, l.ID, len(body), len(l.Body))
			}
			for j, b := range l.Body {
				bd := body[j].(map[string]any)
				switch b := b.(type) {
				case course.HTML:
					if bd["kind"] != "html" || bd["html"] != string(b) {
						t.Errorf("%s: %s block %d = %v, want the lesson HTML", dir, l.ID, j, bd["kind"])
					}
				case *course.Question:
					questions++
					checkQuestion(t, b, bd)
					if want := c.ActivityID(course.InteractionActivities, b.ID); bd["activity"] != want {
						t.Errorf("%s: question %s activity = %v, want %s", dir, b.ID, bd["activity"], want)
					}
				case *course.Reflection:
					if bd["kind"] != "reflection" || bd["id"] != b.ID || bd["prompt"] != b.Prompt || bd["activity"] != c.ActivityID(course.InteractionActivities, b.ID) {
						t.Errorf("%s: %s block %d = %v %v, want reflection %s", dir, l.ID, j, bd["kind"], bd["id"], b.ID)
					}
				case *course.Essay:
					if bd["kind"] != "essay" || bd["id"] != b.ID || bd["title"] != b.Title || bd["activity"] != c.ActivityID(course.InteractionActivities, b.ID) {
						t.Errorf("%s: %s block %d = %v %v, want essay %s", dir, l.ID, j, bd["kind"], bd["id"], b.ID)
					}
				}
			}
		}
		if questions != len(c.Questions()) || questions == 0 {
			t.Errorf("%s: checked %d questions, course has %d", dir, questions, len(c.Questions()))
		}
	}
}

func checkQuestion(t *testing.T, q *course.Question, d map[string]any) {
	t.Helper()
	if d["kind"] != "question" || d["id"] != q.ID || d["type"] != string(q.Type) || d["prompt"] != q.Prompt {
		t.Errorf("question %s = %v %v %v", q.ID, d["kind"], d["id"], d["type"])
		return
	}
	if d["text"] == "" || strings.ContainsAny(fmt.Sprint(d["text"]), "<>") {
		t.Errorf("question %s text = %q, want the prompt as plain text", q.ID, d["text"])
	}
	correct := d["correct"].(map[string]any)
	strs := func(v any) []string {
		var out []string
		for _, x := range v.([]any) {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	switch q.Type {
	case course.SingleChoice, course.MultipleChoice:
		if got := strs(correct["choices"]); !slices.Equal(got, q.Correct.Choices) {
			t.Errorf("question %s correct = %q, want %q", q.ID, got, q.Correct.Choices)
		}
	case course.Sequencing:
		order := strs(d["order"])
		if slices.Equal(order, q.Correct.Choices) {
			t.Errorf("question %s shows its items in the answer order %q", q.ID, order)
		}
		if !slices.Equal(slices.Sorted(slices.Values(order)), slices.Sorted(slices.Values(q.Correct.Choices))) {
			t.Errorf("question %s order %q is not a permutation of %q", q.ID, order, q.Correct.Choices)
		}
	case course.TrueFalse:
		if correct["bool"] != q.Correct.Bool {
			t.Errorf("question %s correct = %v, want %v", q.ID, correct["bool"], q.Correct.Bool)
		}
	case course.FillIn:
		if got := strs(correct["texts"]); !slices.Equal(got, q.Correct.Texts) {
			t.Errorf("question %s texts = %q, want %q", q.ID, got, q.Correct.Texts)
		}
	case course.Numeric:
		lo, _ := correct["min"].(json.Number).Float64()
		hi, _ := correct["max"].(json.Number).Float64()
		if lo != q.Correct.Min || hi != q.Correct.Max {
			t.Errorf("question %s range = %v..%v, want %v..%v", q.ID, lo, hi, q.Correct.Min, q.Correct.Max)
		}
	case course.Matching:
		pairs := correct["pairs"].([]any)
		if len(pairs) != len(q.Correct.Pairs) {
			t.Fatalf("question %s has %d pairs, want %d", q.ID, len(pairs), len(q.Correct.Pairs))
		}
		for i, p := range q.Correct.Pairs {
			if got := strs(pairs[i]); !slices.Equal(got, []string{p.Source, p.Target}) {
				t.Errorf("question %s pair %d = %q, want %s→%s", q.ID, i, got, p.Source, p.Target)
			}
		}
	}
}

// hostile is a course whose text tries to break out of the launch page and
// the course script.
func hostile() *course.Course {
	l := &course.Lesson{ID: "l1", Title: `</script><script>alert("lesson")</script>`, Body: []course.Block{course.HTML("<p>Hi</p>")}}
	s := &course.Section{ID: "s1", Title: "S", Lessons: []*course.Lesson{l}}
	l.Section = s
	return &course.Course{
		ID:         "https://example.org/x",
		Title:      `</title><script>alert("title")</script> & "quotes"`,
		Language:   `en"><script>alert(1)</script>`,
		Version:    "1.0.0",
		Completion: course.Completion{Rule: course.CompletedWhenViewed},
		Sections:   []*course.Section{s},
		Lessons:    []*course.Lesson{l},
	}
}

func TestLaunchPageEscapesCourseText(t *testing.T) {
	m := mustAssets(t, hostile(), Options{Standard: SCORM12})
	page := string(m["index.html"])
	if strings.Contains(page, "<script>alert") {
		t.Errorf("index.html lets course text inject a script:\n%s", page)
	}
	if !strings.Contains(page, "<title>&lt;/title&gt;&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;</title>") {
		t.Errorf("index.html does not show the escaped title:\n%s", page)
	}
	script := m["coursekit/course.js"]
	if bytes.ContainsAny(script, "<>") {
		t.Errorf("course.js holds a raw < or >: %s", script)
	}
	data := readCourseScript(t, script)
	if data["title"] != hostile().Title {
		t.Errorf("course.js title = %q, want %q", data["title"], hostile().Title)
	}
}

func TestOptionsReachThePage(t *testing.T) {
	c := mustLoad(t, features)
	for _, opts := range allOptions {
		m := mustAssets(t, c, opts)
		mode := "course"
		if opts.SCOPerLesson {
			mode = "lesson"
		}
		want := fmt.Sprintf(`data-ck-standard="%s" data-ck-mode="%s"`, opts.Standard, mode)
		if !bytes.Contains(m["index.html"], []byte(want)) {
			t.Errorf("%+v: index.html has no %s", opts, want)
		}
		data := readCourseScript(t, m["coursekit/course.js"])
		if data["standard"] != string(opts.Standard) || data["scoPerLesson"] != opts.SCOPerLesson {
			t.Errorf("%+v: course.js standard = %v, scoPerLesson = %v", opts, data["standard"], data["scoPerLesson"])
		}
		lrs, has := data["lrs"].(map[string]any)
		if has != (opts.LRS != nil) || has && (lrs["endpoint"] != opts.LRS.Endpoint || lrs["auth"] != opts.LRS.Auth) {
			t.Errorf("%+v: course.js lrs = %v", opts, data["lrs"])
		}
	}
}

func TestAssetsRejectsBadInput(t *testing.T) {
	if _, err := Assets(nil, Options{Standard: SCORM12}); err == nil {
		t.Error("Assets(nil) = nil error, want one")
	}
	_, err := Assets(hostile(), Options{Standard: "scorm2"})
	if err == nil || !strings.Contains(err.Error(), `"scorm2"`) {
		t.Errorf("Assets with standard scorm2: err = %v, want it named", err)
	}
	lrs := &LRS{Endpoint: "https://lrs.example.org/xapi/", Auth: "Basic a2V5OnNlY3JldA=="}
	for _, opts := range []Options{
		{Standard: CMI5, LRS: lrs},
		{Standard: XAPI, LRS: lrs},
		{Standard: SCORM12, LRS: &LRS{Endpoint: "https://lrs.example.org/xapi", Auth: lrs.Auth}},
		{Standard: SCORM12, LRS: &LRS{Endpoint: lrs.Endpoint, Auth: "key:secret"}},
	} {
		if _, err := Assets(hostile(), opts); err == nil {
			t.Errorf("Assets(%+v) = nil error, want a refusal", opts)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Pick the <em>right</em> one.", "Pick the right one."},
		{"<p>Think about it.</p>\n<p>Then think <em>again</em>.</p>", "Think about it. Then think again."},
		{`A <a href="https://x" class="ck-external">link</a> &amp; 5 &lt; 6`, "A link & 5 < 6"},
		{"Line<br>break", "Line break"},
		{"  spaced \n out  ", "spaced out"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShuffled(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	for _, seed := range []string{"q1", "q2", "sliding-into-coercion", "x"} {
		got := shuffled(ids, seed, ids)
		if !slices.Equal(got, shuffled(ids, seed, ids)) {
			t.Errorf("shuffled(%q) differs between calls", seed)
		}
		if slices.Equal(got, ids) {
			t.Errorf("shuffled(%q) = %q, the answer order", seed, got)
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), ids) {
			t.Errorf("shuffled(%q) = %q, not a permutation", seed, got)
		}
	}
	if got := shuffled([]string{"a", "b"}, "s", []string{"a", "b"}); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("shuffled of two = %q, want [b a]", got)
	}
	if got := shuffled([]string{"a"}, "s", []string{"a"}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("shuffled of one = %q", got)
	}
}

func TestLinksEscapeLocalPaths(t *testing.T) {
	got := links([]course.Link{
		{Title: "Sheet", Href: "media/sub/work sheet.docx"},
		{Title: "Site", Href: "https://example.org/a b", External: true},
	})
	if got[0].Href != "media/sub/work%20sheet.docx" || got[1].Href != "https://example.org/a b" {
		t.Errorf("links = %+v", got)
	}
}
