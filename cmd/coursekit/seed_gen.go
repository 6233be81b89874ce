package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/pkg/course"
)

// seedGen makes the statements that learners taking a course would make,
// in the shapes the course player sends (packager/runtime/assets/cmi5.js
// and xapi.js): per session initialized, experienced for each lesson
// shown, answered for each question checked and each reflection or essay
// saved, passed as soon as the mastery score is reached, completed as
// soon as the completion rule is met, failed when a session ends with
// every question answered below the mastery score, and terminated with
// the session's duration. A learner's statements depend only on the seed,
// the clock and the learner's number, so learners can be made in any
// order, on any goroutine.
type seedGen struct {
	c       *course.Course
	seed    uint64
	now     time.Time
	window  time.Duration
	lang    string
	unit    seedActivity // the course as the xAPI player's launched activity
	auID    string       // the course's one cmi5 AU
	lessons []seedLesson
	blocks  map[string]*seedBlock
	// questions are the scored questions, for the player's score.
	questions []*seedBlock
	weight    float64
}

type seedLesson struct {
	l        *course.Lesson
	activity seedActivity
	blocks   []*seedBlock
	minutes  float64
}

// seedBlock is a question, reflection or essay and its interaction
// activity as the player describes it.
type seedBlock struct {
	id         string
	q          *course.Question // nil for a reflection or essay
	essay      bool
	activity   seedActivity
	difficulty float64
}

// The player's verbs and activity types (xapi.js).
const (
	adlVerbs            = "http://adlnet.gov/expapi/verbs/"
	typeCourse          = "http://adlnet.gov/expapi/activities/course"
	typeLesson          = "http://adlnet.gov/expapi/activities/lesson"
	typeInteraction     = "http://adlnet.gov/expapi/activities/cmi.interaction"
	cmi5CategoryID      = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	cmi5MoveOnID        = "https://w3id.org/xapi/cmi5/context/categories/moveon"
	cmi5SessionExt      = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	cmi5MasteryExt      = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
	seedHomePage        = "https://lms.example.org"
	seedDefaultMinutes  = 12.0
	seedScreenShare     = 0.3
	seedDefaultMastery  = 0.8
	seedMaxRegistration = 3
)

func newSeedGen(c *course.Course, seed uint64, now time.Time, window time.Duration) *seedGen {
	g := &seedGen{c: c, seed: seed, now: now.UTC(), window: window, lang: c.Language, blocks: map[string]*seedBlock{}}
	if g.lang == "" {
		g.lang = "und"
	}
	g.unit = g.activity(c.ID, c.Title, typeCourse)
	g.auID = strings.TrimRight(c.ID, "/") + "/au"
	// Each question's difficulty comes from the seed and its id, so that
	// the questions report has questions that trip learners up.
	for _, l := range c.Lessons {
		sl := seedLesson{l: l, activity: g.activity(c.ActivityID(course.LessonActivities, l.ID), l.Title, typeLesson), minutes: seedDefaultMinutes}
		if l.Duration > 0 {
			// Authors estimate a session's time with its group work; alone
			// at a screen learners take a fraction of it.
			sl.minutes = max(5, l.Duration.Minutes()*seedScreenShare)
		}
		for _, b := range l.Body {
			var sb *seedBlock
			switch b := b.(type) {
			case *course.Question:
				sb = &seedBlock{id: b.ID, q: b, activity: g.interaction(b)}
				g.questions = append(g.questions, sb)
				g.weight += b.Weight
			case *course.Reflection:
				sb = &seedBlock{id: b.ID, activity: g.longFillIn(b.ID, plainText(b.Prompt), "")}
			case *course.Essay:
				sb = &seedBlock{id: b.ID, essay: true, activity: g.longFillIn(b.ID, b.Title, plainText(b.Prompt))}
			default:
				continue
			}
			r := rand.New(rand.NewPCG(seed, hashString(sb.id)))
			sb.difficulty = 0.05 + 0.45*r.Float64()*r.Float64()
			g.blocks[sb.id] = sb
			sl.blocks = append(sl.blocks, sb)
		}
		g.lessons = append(g.lessons, sl)
	}
	return g
}

// hashString is FNV-1a, to turn an id into a random stream number.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// plainText drops the tags of rendered inline HTML, as the player's
// plainText does, and decodes the entities Go's renderer writes.
func plainText(s string) string {
	s = tagPattern.ReplaceAllString(s, " ")
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func (g *seedGen) activity(id, name, typ string) seedActivity {
	return seedActivity{ObjectType: "Activity", ID: id, Definition: &seedDefinition{Name: map[string]string{g.lang: name}, Type: typ}}
}

var interactionTypes = map[course.QuestionType]string{
	course.SingleChoice: "choice", course.MultipleChoice: "choice", course.TrueFalse: "true-false",
	course.FillIn: "fill-in", course.Numeric: "numeric", course.Matching: "matching", course.Sequencing: "sequencing",
}

// interaction is xapi.js's interaction() for a question.
func (g *seedGen) interaction(q *course.Question) seedActivity {
	def := &seedDefinition{Name: map[string]string{g.lang: q.Prompt}, Type: typeInteraction, InteractionType: interactionTypes[q.Type],
		CorrectResponsesPattern: correctPatterns(q)}
	components := func(cs []course.Choice) []seedComponent {
		out := make([]seedComponent, len(cs))
		for i, c := range cs {
			out[i] = seedComponent{ID: c.ID, Description: map[string]string{g.lang: plainText(c.Text)}}
		}
		return out
	}
	if q.Type == course.Matching {
		def.Source, def.Target = components(q.Sources), components(q.Targets)
	} else if len(q.Choices) > 0 {
		def.Choices = components(q.Choices)
	}
	return seedActivity{ObjectType: "Activity", ID: g.c.ActivityID(course.InteractionActivities, q.ID), Definition: def}
}

func (g *seedGen) longFillIn(id, name, description string) seedActivity {
	def := &seedDefinition{Name: map[string]string{g.lang: name}, Type: typeInteraction, InteractionType: "long-fill-in"}
	if description != "" {
		def.Description = map[string]string{g.lang: description}
	}
	return seedActivity{ObjectType: "Activity", ID: g.c.ActivityID(course.InteractionActivities, id), Definition: def}
}

// correctPatterns is xapi.js's correctPatterns.
func correctPatterns(q *course.Question) []string {
	c := q.Correct
	switch q.Type {
	case course.SingleChoice:
		return []string{c.Choices[0]}
	case course.MultipleChoice:
		return []string{strings.Join(inAuthorOrder(q, c.Choices), "[,]")}
	case course.Sequencing:
		return []string{strings.Join(c.Choices, "[,]")}
	case course.TrueFalse:
		return []string{strconv.FormatBool(c.Bool)}
	case course.FillIn:
		out := make([]string, len(c.Texts))
		for i, t := range c.Texts {
			if c.CaseSensitive {
				out[i] = "{case_matters=true}"
			}
			out[i] += strings.Join(strings.Fields(t), " ")
		}
		return out
	case course.Numeric:
		return []string{decimal(c.Min) + "[:]" + decimal(c.Max)}
	case course.Matching:
		pairs := make([]string, len(c.Pairs))
		for i, p := range c.Pairs {
			pairs[i] = p.Source + "[.]" + p.Target
		}
		return []string{strings.Join(pairs, "[,]")}
	}
	return nil
}

// inAuthorOrder returns the chosen ids in the order of the question's
// choices, as the player writes multiple-choice responses.
func inAuthorOrder(q *course.Question, ids []string) []string {
	var out []string
	for _, c := range q.Choices {
		if slices.Contains(ids, c.ID) {
			out = append(out, c.ID)
		}
	}
	return out
}

// decimal is core.js's decimal: no exponent, at most 7 places.
func decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 7, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// duration2004 is core.js's duration2004: PTnHnMn.nnS in centiseconds.
func duration2004(d time.Duration) string {
	cs := int64(d / (10 * time.Millisecond))
	frac := ""
	if cs%100 != 0 {
		frac = strings.TrimSuffix(fmt.Sprintf(".%02d", cs%100), "0")
	}
	return fmt.Sprintf("PT%dH%dM%d%sS", cs/360000, cs/6000%60, cs/100%60, frac)
}

// The JSON the player sends, as Go values.
type (
	seedStatement struct {
		ID        string       `json:"id"`
		Actor     *seedAgent   `json:"actor"`
		Verb      seedVerb     `json:"verb"`
		Object    seedActivity `json:"object"`
		Result    *seedResult  `json:"result,omitempty"`
		Context   *seedContext `json:"context,omitempty"`
		Timestamp string       `json:"timestamp"`
	}
	seedAgent struct {
		ObjectType string       `json:"objectType"`
		Name       string       `json:"name,omitempty"`
		Mbox       string       `json:"mbox,omitempty"`
		Account    *seedAccount `json:"account,omitempty"`
	}
	seedAccount struct {
		HomePage string `json:"homePage"`
		Name     string `json:"name"`
	}
	seedVerb struct {
		ID      string            `json:"id"`
		Display map[string]string `json:"display"`
	}
	seedActivity struct {
		ObjectType string          `json:"objectType"`
		ID         string          `json:"id"`
		Definition *seedDefinition `json:"definition,omitempty"`
	}
	seedDefinition struct {
		Name                    map[string]string `json:"name,omitempty"`
		Description             map[string]string `json:"description,omitempty"`
		Type                    string            `json:"type"`
		InteractionType         string            `json:"interactionType,omitempty"`
		CorrectResponsesPattern []string          `json:"correctResponsesPattern,omitempty"`
		Choices                 []seedComponent   `json:"choices,omitempty"`
		Source                  []seedComponent   `json:"source,omitempty"`
		Target                  []seedComponent   `json:"target,omitempty"`
	}
	seedComponent struct {
		ID          string            `json:"id"`
		Description map[string]string `json:"description"`
	}
	seedResult struct {
		Score      *seedScore `json:"score,omitempty"`
		Success    *bool      `json:"success,omitempty"`
		Completion *bool      `json:"completion,omitempty"`
		Response   *string    `json:"response,omitempty"`
		Duration   string     `json:"duration,omitempty"`
	}
	seedScore struct {
		Scaled float64  `json:"scaled"`
		Raw    *float64 `json:"raw,omitempty"`
		Min    *float64 `json:"min,omitempty"`
		Max    *float64 `json:"max,omitempty"`
	}
	seedContext struct {
		Registration      string           `json:"registration,omitempty"`
		ContextActivities *seedContextActs `json:"contextActivities,omitempty"`
		Team              *seedAgent       `json:"team,omitempty"`
		Extensions        map[string]any   `json:"extensions,omitempty"`
	}
	seedContextActs struct {
		Parent   []seedRef `json:"parent,omitempty"`
		Grouping []seedRef `json:"grouping,omitempty"`
		Category []seedRef `json:"category,omitempty"`
	}
	seedRef struct {
		ID string `json:"id"`
	}
)

// score is xapi.js's score: raw is 0..100; cmi5 leaves a fractional raw
// out.
func seedScoreOf(raw float64, cmi5 bool) *seedScore {
	s := &seedScore{Scaled: math.Round(raw*100) / 10000}
	if !cmi5 || raw == math.Trunc(raw) {
		lo, hi := 0.0, 100.0
		s.Raw, s.Min, s.Max = &raw, &lo, &hi
	}
	return s
}

// seedMarshal encodes a learner's statements.
func seedMarshal(sts []seedStatement) ([][]byte, error) {
	out := make([][]byte, len(sts))
	for i := range sts {
		b, err := json.Marshal(&sts[i])
		if err != nil {
			return nil, fmt.Errorf("encode statement %s: %w", sts[i].ID, err)
		}
		out[i] = b
	}
	return out, nil
}
