package course

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// keysByType lists the keys that only some question types take.
var keysByType = map[string][]QuestionType{
	"choices":        {SingleChoice, MultipleChoice, Sequencing},
	"sources":        {Matching},
	"targets":        {Matching},
	"case_sensitive": {FillIn},
}

func (ld *loader) readQuestion(d *yamlDoc, root *yaml.Node) *Question {
	q := &Question{Weight: 1}
	var correct, typeNode *yaml.Node
	nodes := map[string]*yaml.Node{}
	known := []string{"id", "type", "prompt", "weight", "choices", "sources", "targets", "correct", "case_sensitive", "feedback"}
	seen := d.fields(root, "a question", known, func(key string, v *yaml.Node) {
		nodes[key] = v
		switch key {
		case "id":
			q.ID = ld.blockID(d, v)
		case "type":
			typeNode = v
			if s, ok := d.text(v, key); ok {
				q.Type = QuestionType(s)
				if !slices.Contains(questionTypes, q.Type) {
					names := make([]string, len(questionTypes))
					for i, t := range questionTypes {
						names[i] = string(t)
					}
					d.errorf(v, "question type %q is not known%s", s, suggest(s, names))
					q.Type = ""
				}
			}
		case "prompt":
			q.Prompt = ld.markdown(d, v, key, true)
		case "weight":
			if f, ok := d.number(v, key); ok {
				if f <= 0 {
					d.errorf(v, "weight must be above 0, such as 1 or 2")
				}
				q.Weight = f
			}
		case "choices":
			q.Choices = ld.readChoices(d, v, key)
		case "sources":
			q.Sources = ld.readChoices(d, v, key)
		case "targets":
			q.Targets = ld.readChoices(d, v, key)
		case "correct":
			correct = v
		case "case_sensitive":
			q.Correct.CaseSensitive, _ = d.boolean(v, key)
		case "feedback":
			d.fields(v, "feedback", []string{"correct", "incorrect"}, func(key string, v *yaml.Node) {
				if key == "correct" {
					q.FeedbackCorrect = ld.markdown(d, v, "feedback "+key, true)
				} else {
					q.FeedbackIncorrect = ld.markdown(d, v, "feedback "+key, true)
				}
			})
		}
	})
	d.require(root, seen, "the question", "id", "type", "prompt")
	if q.Type == "" {
		return q
	}
	for key, types := range keysByType {
		if v := nodes[key]; v != nil && !slices.Contains(types, q.Type) {
			d.errorf(seen[key], "%q does not apply to a %s question; remove it", key, q.Type)
		}
	}
	switch q.Type {
	case SingleChoice, MultipleChoice, Sequencing:
		if nodes["choices"] == nil {
			d.errorf(typeNode, "a %s question needs choices; add a list of choices with id and text", q.Type)
		} else if len(q.Choices) < 2 && nodes["choices"].Kind == yaml.SequenceNode {
			d.errorf(nodes["choices"], "a %s question needs at least two choices", q.Type)
		}
	case Matching:
		for _, side := range []string{"sources", "targets"} {
			if nodes[side] == nil {
				d.errorf(typeNode, "a matching question needs %s; add a list with id and text", side)
			}
		}
	}
	if correct == nil {
		d.errorf(root, "question %q has no correct answer; add 'correct:' (%s)", q.ID, correctHint[q.Type])
		return q
	}
	readCorrect(d, correct, q)
	return q
}

var correctHint = map[QuestionType]string{
	SingleChoice:   "the id of the right choice",
	MultipleChoice: "a list of the ids of the right choices",
	TrueFalse:      "true or false",
	FillIn:         "a list of accepted answers",
	Numeric:        "a number, or {min: N, max: M}",
	Matching:       "a mapping of each source id to its target id",
	Sequencing:     "every choice id in the right order",
}

func (ld *loader) readChoices(d *yamlDoc, v *yaml.Node, key string) []Choice {
	var out []Choice
	ids := map[string]bool{}
	d.list(v, key, func(item *yaml.Node) {
		var c Choice
		seen := d.fields(item, "a choice", []string{"id", "text", "feedback"}, func(k string, v *yaml.Node) {
			switch k {
			case "id":
				if id, ok := d.text(v, k); ok {
					switch {
					case !validID(id):
						d.errorf(v, "choice id %q is not valid: %s", id, idRule)
					case ids[id]:
						d.errorf(v, "duplicate choice id %q in %s; give each choice its own id", id, key)
					}
					ids[id] = true
					c.ID = id
				}
			case "text":
				c.Text = ld.markdown(d, v, k, true)
			case "feedback":
				c.Feedback = ld.markdown(d, v, k, true)
			}
		})
		d.require(item, seen, "the choice", "id", "text")
		out = append(out, c)
	})
	return out
}

func defined(cs []Choice, id string) bool {
	return slices.ContainsFunc(cs, func(c Choice) bool { return c.ID == id })
}

func choiceIDs(cs []Choice) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// readCorrect reads the correct answer in the form the question's type takes.
func readCorrect(d *yamlDoc, v *yaml.Node, q *Question) {
	ref := func(n *yaml.Node, cs []Choice, side string) (string, bool) {
		id, ok := d.text(n, "correct")
		if ok && !defined(cs, id) {
			d.errorf(n, "correct answer %q is not one of the %s (%s); use a defined id", id, side, choiceIDs(cs))
			return id, false
		}
		return id, ok
	}
	switch q.Type {
	case SingleChoice:
		if v.Kind == yaml.SequenceNode {
			d.errorf(v, "a single-choice question has one correct answer; write one id, or make it multiple-choice")
			return
		}
		if id, ok := ref(v, q.Choices, "choices"); ok {
			q.Correct.Choices = []string{id}
		}
	case MultipleChoice, Sequencing:
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		} else if q.Type == Sequencing {
			d.errorf(v, "correct must list every choice id in the right order")
			return
		}
		seen := map[string]bool{}
		for _, item := range items {
			if id, ok := ref(item, q.Choices, "choices"); ok {
				if seen[id] {
					d.errorf(item, "choice %q is listed twice in correct", id)
					continue
				}
				seen[id] = true
				q.Correct.Choices = append(q.Correct.Choices, id)
			}
		}
		if len(items) == 0 {
			d.errorf(v, "question %q has no correct answer; list at least one choice id", q.ID)
		}
		if q.Type == Sequencing {
			for _, c := range q.Choices {
				if c.ID != "" && !seen[c.ID] {
					d.errorf(v, "choice %q is missing from the correct order; list every choice once", c.ID)
				}
			}
		}
	case TrueFalse:
		q.Correct.Bool, _ = d.boolean(v, "correct")
	case FillIn:
		if v.Kind == yaml.SequenceNode {
			q.Correct.Texts = d.texts(v, "correct")
			if len(v.Content) == 0 {
				d.errorf(v, "question %q has no correct answer; list at least one accepted answer", q.ID)
			}
		} else if s, ok := d.text(v, "correct"); ok {
			q.Correct.Texts = []string{s}
		}
	case Numeric:
		if v.Kind == yaml.MappingNode {
			seen := d.fields(v, "the numeric answer", []string{"min", "max"}, func(k string, n *yaml.Node) {
				f, _ := d.number(n, k)
				if k == "min" {
					q.Correct.Min = f
				} else {
					q.Correct.Max = f
				}
			})
			d.require(v, seen, "the numeric answer", "min", "max")
			if q.Correct.Min > q.Correct.Max {
				d.errorf(v, "min %v is above max %v; swap them", q.Correct.Min, q.Correct.Max)
			}
		} else if f, ok := d.number(v, "correct"); ok {
			q.Correct.Min, q.Correct.Max = f, f
		}
	case Matching:
		d.fields(v, "the matching answer", sourceIDs(q.Sources), func(src string, n *yaml.Node) {
			if tgt, ok := ref(n, q.Targets, "targets"); ok {
				q.Correct.Pairs = append(q.Correct.Pairs, Pair{Source: src, Target: tgt})
			}
		})
		slices.SortStableFunc(q.Correct.Pairs, func(a, b Pair) int {
			return slices.IndexFunc(q.Sources, func(c Choice) bool { return c.ID == a.Source }) -
				slices.IndexFunc(q.Sources, func(c Choice) bool { return c.ID == b.Source })
		})
		if v.Kind == yaml.MappingNode {
			for _, s := range q.Sources {
				if s.ID != "" && !slices.ContainsFunc(q.Correct.Pairs, func(p Pair) bool { return p.Source == s.ID }) &&
					!hasKey(v, s.ID) {
					d.errorf(v, "source %q has no target in correct; map every source to a target", s.ID)
				}
			}
		}
	}
}

func sourceIDs(cs []Choice) []string {
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}
