package course

import (
	"testing"
	"time"
)

func TestValidIRI(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://example.org/courses/a", true},
		{"http://example.org", true},
		{"urn:uuid:5b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c1d", true},
		{"tag:example.org,2026:course", true},
		{"https://例え.jp/コース", true},
		{"example.org/course", false},
		{"https:/example.org", false},
		{"https://", false},
		{"1http://example.org", false},
		{"https://example.org/a b", false},
		{"https://example.org/<x>", false},
		{"urn:", false},
		{":x", false},
	}
	for _, tt := range tests {
		if err := validIRI(tt.in); (err == nil) != tt.ok {
			t.Errorf("validIRI(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestLanguageTag(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"en", true}, {"en-GB", true}, {"pt-BR", true}, {"zh-Hant-TW", true}, {"es-419", true},
		{"sl-rozaj-biske", true}, {"de-CH-1901", true}, {"en-US-x-twain", true}, {"x-whatever", true},
		{"i-klingon", true}, {"cy", true}, {"en-a-bbb-x-a-ccc", true},
		{"english", false}, {"en_GB", false}, {"e", false}, {"en-", false}, {"en--GB", false},
		{"", false}, {"en-GB-", false}, {"123", false},
	}
	for _, tt := range tests {
		if got := languageTag.MatchString(tt.in); got != tt.ok {
			t.Errorf("languageTag.MatchString(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

func TestSemver(t *testing.T) {
	for in, ok := range map[string]bool{
		"1.0.0": true, "0.1.0": true, "2.1.0-beta.1": true, "1.0.0+build.5": true,
		"1.0": false, "v1.0.0": false, "01.0.0": false, "1.0.0-": false,
	} {
		if got := semverPattern.MatchString(in); got != ok {
			t.Errorf("semverPattern.MatchString(%q) = %v, want %v", in, got, ok)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"45m", 45 * time.Minute, true},
		{"1h30m", 90 * time.Minute, true},
		{"PT45M", 45 * time.Minute, true},
		{"PT1H30M", 90 * time.Minute, true},
		{"PT90S", 90 * time.Second, true},
		{"PT0.5S", 500 * time.Millisecond, true},
		{"PT", 0, false},
		{"PT0M", 0, false},
		{"-5m", 0, false},
		{"soon", 0, false},
		{"P1D", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestHeadingSlug(t *testing.T) {
	tests := map[string]string{
		"Risks and ethics":                    "risks-and-ethics",
		"What is Recovery?":                   "what-is-recovery",
		"Role modelling & hope":               "role-modelling--hope",
		"  Spaces  ":                          "spaces",
		"Ünïcode Überschrift":                 "ünïcode-überschrift",
		"snake_case and-dash":                 "snake_case-and-dash",
		"How and when to use your experience": "how-and-when-to-use-your-experience",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		in        string
		front     string
		bodyStart string
		ok        bool
	}{
		{"---\ntitle: T\n---\nBody", "title: T\n", "Body", true},
		{"---\r\ntitle: T\r\n---\r\nBody", "title: T\r\n", "Body", true},
		{"\ufeff---\ntitle: T\n...\nBody", "title: T\n", "Body", true},
		{"---\n---\n", "", "", true},
		{"---\ntitle: T\n---", "title: T\n", "", true},
		{"# No front matter\n", "", "", false},
		{"---\ntitle: T\n", "", "", false},
		{"--- \ntitle: T\n---  \nB", "title: T\n", "B", true},
	}
	for _, tt := range tests {
		front, off, ok := splitFrontMatter([]byte(tt.in))
		if ok != tt.ok || string(front) != tt.front || ok && tt.in[off:] != tt.bodyStart {
			t.Errorf("splitFrontMatter(%q) = %q, body %q, %v; want %q, %q, %v", tt.in, front, tt.in[min(off, len(tt.in)):], ok, tt.front, tt.bodyStart, tt.ok)
		}
	}
}

func TestLineStarts(t *testing.T) {
	got := lineStarts([]byte("a\nb\r\nc\rd"))
	want := []int{0, 2, 5, 7}
	if len(got) != len(want) {
		t.Fatalf("lineStarts = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("lineStarts = %v, want %v", got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"https://courses.coursekit.example/peer-support-training": "peer-support-training",
		"https://example.org/courses/a b/":                        "a-b",
		"urn:uuid:1234":                                           "1234",
		"https://example.org/":                                    "example-org",
		"tag:x,2026:":                                             "course",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActivityID(t *testing.T) {
	tests := []struct {
		course, kind, id, want string
	}{
		{"https://example.org/c", LessonActivities, "intro", "https://example.org/c/lessons/intro"},
		{"https://example.org/c/", SectionActivities, "s1", "https://example.org/c/sections/s1"},
		{"urn:example:c", InteractionActivities, "q_1", "urn:example:c/interactions/q_1"},
	}
	for _, tt := range tests {
		c := &Course{ID: tt.course}
		if got := c.ActivityID(tt.kind, tt.id); got != tt.want {
			t.Errorf("ActivityID(%q, %q) on %q = %q, want %q", tt.kind, tt.id, tt.course, got, tt.want)
		}
	}
}
