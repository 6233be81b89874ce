package course

import (
	"gopkg.in/yaml.v3"
)

const courseFile = "course.yaml"

// outlineRef is a lesson id listed in the outline, with where it was listed.
type outlineRef struct {
	id      string
	node    *yaml.Node
	section *Section
}

// hrefRef is a file or URL named in course.yaml, resolved after the lessons.
type hrefRef struct {
	link *Link
	node *yaml.Node
}

// readManifest reads course.yaml into c and returns the outline's lesson
// references and local hrefs for the loader to check against the lessons.
func readManifest(d *yamlDoc, src []byte, c *Course) (refs []outlineRef, hrefs []hrefRef) {
	root := d.parse(src, courseFile)
	if root == nil {
		return nil, nil
	}
	known := []string{"id", "title", "description", "language", "version", "authors", "licence", "license",
		"mastery_score", "completion", "completion_threshold", "outline", "resources"}
	var threshold *yaml.Node
	seen := d.fields(root, courseFile, known, func(key string, v *yaml.Node) {
		switch key {
		case "id":
			if s, ok := d.text(v, key); ok {
				if err := validIRI(s); err != nil {
					d.errorf(v, "course id %q %v", s, err)
				}
				c.ID = s
			}
		case "title":
			c.Title, _ = d.text(v, key)
		case "description":
			c.Description, _ = d.str(v, key)
		case "language":
			if s, ok := d.text(v, key); ok {
				if !languageTag.MatchString(s) {
					d.errorf(v, "language %q is not a BCP 47 language tag; write one such as en, en-GB or pt-BR", s)
				}
				c.Language = s
			}
		case "version":
			if s, ok := d.text(v, key); ok {
				if !semverPattern.MatchString(s) {
					d.errorf(v, "version %q is not a semantic version; write MAJOR.MINOR.PATCH such as 1.0.0", s)
				}
				c.Version = s
			}
		case "authors":
			d.list(v, key, func(item *yaml.Node) {
				var a Author
				s := d.fields(item, "an author", []string{"name", "email", "url"}, func(key string, v *yaml.Node) {
					switch key {
					case "name":
						a.Name, _ = d.text(v, key)
					case "email":
						a.Email, _ = d.text(v, key)
					case "url":
						a.URL, _ = d.text(v, key)
					}
				})
				d.require(item, s, "an author", "name")
				c.Authors = append(c.Authors, a)
			})
		case "licence", "license":
			c.Licence, _ = d.text(v, key)
		case "mastery_score":
			if f, ok := d.number(v, key); ok {
				if f < 0 || f > 100 {
					d.errorf(v, "mastery_score %v is out of range; write a percentage from 0 to 100", v.Value)
				}
				c.MasteryScore, c.HasMastery = f/100, true
			}
		case "completion":
			if s, ok := d.text(v, key); ok {
				switch r := CompletionRule(s); r {
				case CompletedWhenViewed, CompletedWhenPassed, CompletedWhenViewedAndPassed, CompletedByProgress:
					c.Completion.Rule = r
				default:
					d.errorf(v, "completion %q is not a rule; use viewed, passed, viewed-and-passed or progress", s)
				}
			}
		case "completion_threshold":
			threshold = v
			if f, ok := d.number(v, key); ok {
				if f <= 0 || f > 1 {
					d.errorf(v, "completion_threshold %v is out of range; write a fraction above 0 and at most 1, such as 0.8", v.Value)
				}
				c.Completion.Threshold = f
			}
		case "outline":
			refs = readOutline(d, v, c)
		case "resources":
			d.list(v, key, func(item *yaml.Node) {
				if l, node := readLink(d, item, "a resource"); node != nil {
					c.Resources = append(c.Resources, l)
					hrefs = append(hrefs, hrefRef{&c.Resources[len(c.Resources)-1], node})
				}
			})
		}
	})
	d.require(root, seen, courseFile, "id", "title", "language", "version", "outline")
	if c.Completion.Rule == "" {
		c.Completion.Rule = CompletedWhenViewed
	}
	if c.Completion.NeedsPass() && !c.HasMastery && seen["completion"] != nil {
		d.errorf(seen["completion"], "completion %q needs a mastery_score; add mastery_score: 80 (percent)", c.Completion.Rule)
	}
	if c.Completion.Rule == CompletedByProgress && threshold == nil {
		d.errorf(seen["completion"], "completion \"progress\" needs completion_threshold; add completion_threshold: 0.8")
	}
	if c.Completion.Rule != CompletedByProgress && threshold != nil {
		d.errorf(seen["completion_threshold"], "completion_threshold only applies with completion: progress; remove it or set completion: progress")
	}
	// Resources were appended while hrefs held pointers into a growing slice.
	for i := range hrefs {
		hrefs[i].link = &c.Resources[i]
	}
	return refs, hrefs
}

func readOutline(d *yamlDoc, v *yaml.Node, c *Course) []outlineRef {
	var refs []outlineRef
	sectionIDs := map[string]bool{}
	ok := d.list(v, "outline", func(item *yaml.Node) {
		s := &Section{}
		seen := d.fields(item, "an outline section", []string{"section", "title", "description", "lessons"}, func(key string, v *yaml.Node) {
			switch key {
			case "section":
				if id, ok := d.text(v, key); ok {
					if !validID(id) {
						d.errorf(v, "section id %q is not valid: %s", id, idRule)
					}
					if sectionIDs[id] {
						d.errorf(v, "duplicate section id %q; give each section its own id", id)
					}
					sectionIDs[id] = true
					s.ID = id
				}
			case "title":
				s.Title, _ = d.text(v, key)
			case "description":
				s.Description, _ = d.str(v, key)
			case "lessons":
				d.list(v, key, func(l *yaml.Node) {
					if id, ok := d.text(l, "lesson id"); ok {
						refs = append(refs, outlineRef{id: id, node: l, section: s})
					}
				})
			}
		})
		d.require(item, seen, "an outline section", "section", "title", "lessons")
		c.Sections = append(c.Sections, s)
	})
	if ok && len(v.Content) == 0 {
		d.errorf(v, "the outline is empty; list at least one section with its lessons")
	}
	return refs
}

// readLink reads a {title, href} mapping. It returns the node of the href to
// resolve, or nil when the link is unusable.
func readLink(d *yamlDoc, item *yaml.Node, what string) (Link, *yaml.Node) {
	var l Link
	var hrefNode *yaml.Node
	seen := d.fields(item, what, []string{"title", "href"}, func(key string, v *yaml.Node) {
		switch key {
		case "title":
			l.Title, _ = d.text(v, key)
		case "href":
			if s, ok := d.text(v, key); ok {
				l.Href, hrefNode = s, v
			}
		}
	})
	d.require(item, seen, what, "title", "href")
	return l, hrefNode
}
