package runtime

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"net/url"
	"slices"
	"strings"

	"github.com/coursekit/coursekit/pkg/course"
)

// courseGlobal is the global variable coursekit/course.js sets.
const courseGlobal = "coursekitCourse"

// The course as the player reads it. Field names are the player's; keep
// them in step with assets/*.js.
type courseData struct {
	// Format is the version of this shape.
	Format int    `json:"format"`
	ID     string `json:"id"`
	// Activity is the course's activity IRI (its id); sections, lessons and
	// interactive blocks carry theirs, from course.ActivityID.
	Activity     string   `json:"activity"`
	Title        string   `json:"title"`
	Language     string   `json:"language"`
	Version      string   `json:"version"`
	Licence      string   `json:"licence,omitempty"`
	Authors      []string `json:"authors,omitempty"`
	Standard     Standard `json:"standard"`
	SCOPerLesson bool     `json:"scoPerLesson"`
	// Mastery is the fraction (0 to 1) needed to pass, null when the course
	// sets none.
	Mastery    *float64       `json:"mastery"`
	Completion completionData `json:"completion"`
	Sections   []sectionData  `json:"sections"`
	Lessons    []lessonData   `json:"lessons"`
	Resources  []linkData     `json:"resources"`
	// LRS is set in SCORM packages that also send statements to an LRS.
	LRS *lrsData `json:"lrs,omitempty"`
}

type lrsData struct {
	Endpoint string `json:"endpoint"`
	Auth     string `json:"auth"`
}

type completionData struct {
	Rule      course.CompletionRule `json:"rule"`
	Threshold float64               `json:"threshold"`
}

type sectionData struct {
	ID          string   `json:"id"`
	Activity    string   `json:"activity"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Lessons     []string `json:"lessons"`
}

type lessonData struct {
	ID            string     `json:"id"`
	Activity      string     `json:"activity"`
	Title         string     `json:"title"`
	Section       string     `json:"section"`
	Objectives    []string   `json:"objectives"`
	Minutes       int        `json:"minutes"`
	ExerciseFiles []linkData `json:"exerciseFiles"`
	// Body holds *htmlBlock, *questionData, *reflectionData and *essayData.
	Body []any `json:"body"`
}

type linkData struct {
	Title string `json:"title"`
	// Href is a URL-escaped course-relative path or the external URL.
	Href     string `json:"href"`
	External bool   `json:"external"`
}

type htmlBlock struct {
	Kind string `json:"kind"` // "html"
	HTML string `json:"html"`
}

type questionData struct {
	Kind     string              `json:"kind"` // "question"
	ID       string              `json:"id"`
	Activity string              `json:"activity"`
	Type     course.QuestionType `json:"type"`
	// Prompt is inline HTML; Text is its plain text (the 2004 description).
	Prompt  string       `json:"prompt"`
	Text    string       `json:"text"`
	Weight  float64      `json:"weight"`
	Choices []choiceData `json:"choices,omitempty"`
	Sources []choiceData `json:"sources,omitempty"`
	Targets []choiceData `json:"targets,omitempty"`
	// Order is the order choices (sequencing) or targets (matching) are
	// shown in: shuffled, the same on every build.
	Order    []string     `json:"order,omitempty"`
	Correct  correctData  `json:"correct"`
	Feedback feedbackData `json:"feedback"`
}

type choiceData struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Feedback string `json:"feedback,omitempty"`
}

type correctData struct {
	Choices       []string    `json:"choices,omitempty"`
	Bool          *bool       `json:"bool,omitempty"`
	Texts         []string    `json:"texts,omitempty"`
	CaseSensitive bool        `json:"caseSensitive,omitempty"`
	Min           *float64    `json:"min,omitempty"`
	Max           *float64    `json:"max,omitempty"`
	Pairs         [][2]string `json:"pairs,omitempty"`
}

type feedbackData struct {
	Correct   string `json:"correct,omitempty"`
	Incorrect string `json:"incorrect,omitempty"`
}

type reflectionData struct {
	Kind     string `json:"kind"` // "reflection"
	ID       string `json:"id"`
	Activity string `json:"activity"`
	Prompt   string `json:"prompt"`
	Text     string `json:"text"`
}

type essayData struct {
	Kind     string `json:"kind"` // "essay"
	ID       string `json:"id"`
	Activity string `json:"activity"`
	Title    string `json:"title"`
	Prompt   string `json:"prompt"`
	Text     string `json:"text"`
	Words    int    `json:"words,omitempty"`
}

// courseScript returns coursekit/course.js: one assignment of the course
// as JSON. encoding/json escapes <, >, & and U+2028/9, so the data is also
// safe inside HTML and valid as JavaScript.
func courseScript(c *course.Course, opts Options) ([]byte, error) {
	d := newCourseData(c, opts)
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("course data: %w", err)
	}
	out := make([]byte, 0, len(b)+64)
	out = append(out, "window."+courseGlobal+" = "...)
	out = append(out, b...)
	out = append(out, ";\n"...)
	return out, nil
}

func newCourseData(c *course.Course, opts Options) *courseData {
	d := &courseData{
		Format:       1,
		ID:           c.ID,
		Activity:     c.ID,
		Title:        c.Title,
		Language:     c.Language,
		Version:      c.Version,
		Licence:      c.Licence,
		Standard:     opts.Standard,
		SCOPerLesson: opts.SCOPerLesson,
		Completion:   completionData{Rule: c.Completion.Rule, Threshold: c.Completion.Threshold},
		Sections:     []sectionData{},
		Lessons:      []lessonData{},
		Resources:    links(c.Resources),
	}
	if d.Completion.Rule == "" {
		d.Completion.Rule = course.CompletedWhenViewed
	}
	if opts.LRS != nil {
		d.LRS = &lrsData{Endpoint: opts.LRS.Endpoint, Auth: opts.LRS.Auth}
	}
	if c.HasMastery {
		m := c.MasteryScore
		d.Mastery = &m
	}
	for _, a := range c.Authors {
		d.Authors = append(d.Authors, a.Name)
	}
	for _, s := range c.Sections {
		sd := sectionData{ID: s.ID, Activity: c.ActivityID(course.SectionActivities, s.ID), Title: s.Title, Description: s.Description, Lessons: []string{}}
		for _, l := range s.Lessons {
			sd.Lessons = append(sd.Lessons, l.ID)
		}
		d.Sections = append(d.Sections, sd)
	}
	for _, l := range c.Lessons {
		ld := lessonData{
			ID:            l.ID,
			Activity:      c.ActivityID(course.LessonActivities, l.ID),
			Title:         l.Title,
			Objectives:    append([]string{}, l.Objectives...),
			Minutes:       int(l.Duration.Minutes() + 0.5),
			ExerciseFiles: links(l.ExerciseFiles),
			Body:          []any{},
		}
		if l.Section != nil {
			ld.Section = l.Section.ID
		}
		for _, b := range l.Body {
			switch b := b.(type) {
			case course.HTML:
				ld.Body = append(ld.Body, &htmlBlock{Kind: "html", HTML: string(b)})
			case *course.Question:
				qd := newQuestionData(b)
				qd.Activity = c.ActivityID(course.InteractionActivities, b.ID)
				ld.Body = append(ld.Body, qd)
			case *course.Reflection:
				ld.Body = append(ld.Body, &reflectionData{Kind: "reflection", ID: b.ID, Activity: c.ActivityID(course.InteractionActivities, b.ID),
					Prompt: b.Prompt, Text: plainText(b.Prompt)})
			case *course.Essay:
				ld.Body = append(ld.Body, &essayData{Kind: "essay", ID: b.ID, Activity: c.ActivityID(course.InteractionActivities, b.ID),
					Title: b.Title, Prompt: b.Prompt, Text: plainText(b.Prompt), Words: b.Words})
			}
		}
		d.Lessons = append(d.Lessons, ld)
	}
	return d
}

func newQuestionData(q *course.Question) *questionData {
	qd := &questionData{
		Kind:     "question",
		ID:       q.ID,
		Type:     q.Type,
		Prompt:   q.Prompt,
		Text:     plainText(q.Prompt),
		Weight:   q.Weight,
		Choices:  choices(q.Choices),
		Sources:  choices(q.Sources),
		Targets:  choices(q.Targets),
		Feedback: feedbackData{Correct: q.FeedbackCorrect, Incorrect: q.FeedbackIncorrect},
	}
	if qd.Weight == 0 {
		qd.Weight = 1
	}
	a := q.Correct
	switch q.Type {
	case course.SingleChoice, course.MultipleChoice:
		qd.Correct.Choices = append([]string{}, a.Choices...)
	case course.Sequencing:
		qd.Correct.Choices = append([]string{}, a.Choices...)
		qd.Order = shuffled(ids(q.Choices), q.ID, a.Choices)
	case course.TrueFalse:
		b := a.Bool
		qd.Correct.Bool = &b
	case course.FillIn:
		qd.Correct.Texts = append([]string{}, a.Texts...)
		qd.Correct.CaseSensitive = a.CaseSensitive
	case course.Numeric:
		lo, hi := a.Min, a.Max
		qd.Correct.Min, qd.Correct.Max = &lo, &hi
	case course.Matching:
		for _, p := range a.Pairs {
			qd.Correct.Pairs = append(qd.Correct.Pairs, [2]string{p.Source, p.Target})
		}
		// Targets in the author's order often line up with the sources.
		qd.Order = shuffled(ids(q.Targets), q.ID, nil)
	}
	return qd
}

func choices(cs []course.Choice) []choiceData {
	var out []choiceData
	for _, c := range cs {
		out = append(out, choiceData{ID: c.ID, Text: c.Text, Feedback: c.Feedback})
	}
	return out
}

func ids(cs []course.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func links(ls []course.Link) []linkData {
	out := []linkData{}
	for _, l := range ls {
		href := l.Href
		if !l.External {
			href = escapePath(href)
		}
		out = append(out, linkData{Title: l.Title, Href: href, External: l.External})
	}
	return out
}

// escapePath URL-escapes each segment of a course-relative path, so a file
// such as "media/work sheet.docx" can be linked.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// shuffled returns ids in an order seeded by the question id, so every build
// shows the same order. It is never the answer order (when there is more
// than one id), so a learner cannot get a sequencing question right by
// leaving it alone.
func shuffled(ids []string, seed string, avoid []string) []string {
	out := slices.Clone(ids)
	h := fnv.New64a()
	h.Write([]byte(seed))
	x := h.Sum64() | 1
	for i := len(out) - 1; i > 0; i-- {
		// xorshift64: small, and the same on every platform.
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		j := int(x % uint64(i+1))
		out[i], out[j] = out[j], out[i]
	}
	if len(out) > 1 && (slices.Equal(out, avoid) || avoid == nil && slices.Equal(out, ids)) {
		out = append(out[1:], out[0])
	}
	return out
}

// plainText returns the text of rendered HTML with tags dropped, entities
// decoded and white space collapsed: what the LMS shows as a SCORM 2004
// interaction description. Block tags separate words; inline tags do not.
func plainText(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		name := strings.TrimPrefix(s[i+1:i+j], "/")
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		if blockTags[strings.ToLower(name)] {
			b.WriteByte(' ')
		}
		s = s[i+j+1:]
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "pre": true,
	"table": true, "tr": true, "td": true, "th": true, "hr": true, "aside": true, "figure": true, "figcaption": true,
}
