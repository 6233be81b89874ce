package xapi

import (
	"slices"
	"strconv"
	"strings"
)

// ParseAcceptLanguage reads an Accept-Language header (RFC 2616 §14.4) into
// language ranges, most preferred first: by q-value, then in the order
// given. Ranges with q=0 ("not acceptable") and malformed entries are
// dropped.
func ParseAcceptLanguage(header string) []string {
	type weighted struct {
		lang string
		q    float64
	}
	var list []weighted
	for part := range strings.SplitSeq(header, ",") {
		lang, params, _ := strings.Cut(part, ";")
		lang = strings.TrimSpace(lang)
		if lang == "" || lang != "*" && !validLangTag(lang) {
			continue
		}
		q := 1.0
		if params = strings.TrimSpace(params); params != "" {
			v, ok := strings.CutPrefix(params, "q=")
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if !ok || err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > 0 {
			list = append(list, weighted{lang, q})
		}
	}
	slices.SortStableFunc(list, func(a, b weighted) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	out := make([]string, len(list))
	for i, w := range list {
		out[i] = w.lang
	}
	return out
}

// pickLanguage returns the index of the member of language map i to keep
// for the given ranges (see FormatCanonical). The map has members.
func pickLanguage(t *tree, i int32, ranges []string) int32 {
	n := t.at(i).n
	find := func(r string) int32 {
		if r == "*" {
			return 0
		}
		prefix := int32(-1)
		for j := range n {
			key, _ := t.member(i, j)
			if strings.EqualFold(key, r) {
				return j
			}
			if prefix < 0 && len(key) > len(r) && key[len(r)] == '-' && strings.EqualFold(key[:len(r)], r) {
				prefix = j
			}
		}
		return prefix
	}
	for _, r := range ranges {
		if j := find(r); j >= 0 {
			return j
		}
	}
	for _, r := range ranges {
		for {
			cut := strings.LastIndexByte(r, '-')
			if cut < 0 {
				break
			}
			r = r[:cut]
			// RFC 4647 §3.4: a singleton goes with the subtag after it.
			if c := strings.LastIndexByte(r, '-'); c >= 0 && c == len(r)-2 {
				r = r[:c]
			}
			if j := find(r); j >= 0 {
				return j
			}
		}
	}
	return 0
}
