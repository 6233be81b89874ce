package lrs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// definition is an activity definition in the one JSON form the LRS
// stores: language maps and extensions as maps, so that encoding/json
// writes them in sorted order and two equal definitions are equal bytes.
type definition struct {
	Name                    map[string]string          `json:"name,omitempty"`
	Description             map[string]string          `json:"description,omitempty"`
	Type                    string                     `json:"type,omitempty"`
	MoreInfo                string                     `json:"moreInfo,omitempty"`
	InteractionType         string                     `json:"interactionType,omitempty"`
	CorrectResponsesPattern *[]string                  `json:"correctResponsesPattern,omitempty"`
	Choices                 []component                `json:"choices,omitempty"`
	Scale                   []component                `json:"scale,omitempty"`
	Source                  []component                `json:"source,omitempty"`
	Target                  []component                `json:"target,omitempty"`
	Steps                   []component                `json:"steps,omitempty"`
	Extensions              map[string]json.RawMessage `json:"extensions,omitempty"`
}

type component struct {
	ID          string            `json:"id"`
	Description map[string]string `json:"description,omitempty"`
}

// definitionJSON writes a decoded, valid definition in the stored form.
func definitionJSON(d *xapi.ActivityDefinition) ([]byte, error) {
	def := definition{
		Name: langMap(d.Name), Description: langMap(d.Description),
		Type: d.Type, MoreInfo: d.MoreInfo, InteractionType: d.InteractionType,
		Choices: components(d.Choices), Scale: components(d.Scale), Source: components(d.Source),
		Target: components(d.Target), Steps: components(d.Steps),
	}
	if d.CorrectResponsesPattern != nil {
		p := append([]string{}, d.CorrectResponsesPattern...)
		def.CorrectResponsesPattern = &p
	}
	if len(d.Extensions) > 0 {
		def.Extensions = make(map[string]json.RawMessage, len(d.Extensions))
		for _, x := range d.Extensions {
			def.Extensions[x.IRI] = x.Value
		}
	}
	return encodeDefinition(&def)
}

func langMap(m xapi.LanguageMap) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for _, e := range m {
		out[e.Tag] = e.Text
	}
	return out
}

func components(cs []xapi.InteractionComponent) []component {
	if cs == nil {
		return nil
	}
	out := make([]component, len(cs))
	for i, c := range cs {
		out[i] = component{ID: c.ID, Description: langMap(c.Description)}
	}
	return out
}

func encodeDefinition(def *definition) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(def); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// MergeDefinition merges a definition a statement sent into the stored
// one and returns the new canonical definition, both in the stored form.
// Data §2.4.4.1 lets an LRS make small corrections and asks it not to make
// significant changes, so: names, descriptions and extensions are merged
// per language and per key, the newest winning; type and moreInfo are
// replaced when sent; the interaction properties (interactionType, correct
// responses, component lists) are kept once known, and only filled in where
// missing or, for a component already known, have their descriptions
// merged per language.
func MergeDefinition(stored, sent []byte) ([]byte, error) {
	var old, add definition
	if err := json.Unmarshal(stored, &old); err != nil {
		return nil, fmt.Errorf("merge definition: stored: %w", err)
	}
	if err := json.Unmarshal(sent, &add); err != nil {
		return nil, fmt.Errorf("merge definition: sent: %w", err)
	}
	old.Name = mergeLangMaps(old.Name, add.Name)
	old.Description = mergeLangMaps(old.Description, add.Description)
	if add.Type != "" {
		old.Type = add.Type
	}
	if add.MoreInfo != "" {
		old.MoreInfo = add.MoreInfo
	}
	switch {
	case old.InteractionType == "":
		old.InteractionType, old.CorrectResponsesPattern = add.InteractionType, add.CorrectResponsesPattern
		old.Choices, old.Scale, old.Source, old.Target, old.Steps = add.Choices, add.Scale, add.Source, add.Target, add.Steps
	case old.InteractionType == add.InteractionType:
		if old.CorrectResponsesPattern == nil {
			old.CorrectResponsesPattern = add.CorrectResponsesPattern
		}
		old.Choices = mergeComponents(old.Choices, add.Choices)
		old.Scale = mergeComponents(old.Scale, add.Scale)
		old.Source = mergeComponents(old.Source, add.Source)
		old.Target = mergeComponents(old.Target, add.Target)
		old.Steps = mergeComponents(old.Steps, add.Steps)
	}
	for k, v := range add.Extensions {
		if old.Extensions == nil {
			old.Extensions = map[string]json.RawMessage{}
		}
		old.Extensions[k] = v
	}
	return encodeDefinition(&old)
}

// mergeLangMaps sets each language of add in old. Language tags compare
// without regard to case, so a tag sent in another case replaces the old.
func mergeLangMaps(old, add map[string]string) map[string]string {
	for tag, text := range add {
		if old == nil {
			old = map[string]string{}
		}
		for k := range old {
			if strings.EqualFold(k, tag) {
				delete(old, k)
			}
		}
		old[tag] = text
	}
	return old
}

// mergeComponents keeps the known list, merging the descriptions of the
// components add also has; a list not known yet is taken from add.
func mergeComponents(old, add []component) []component {
	if old == nil {
		return add
	}
	for _, a := range add {
		for i := range old {
			if old[i].ID == a.ID {
				old[i].Description = mergeLangMaps(old[i].Description, a.Description)
			}
		}
	}
	return old
}
