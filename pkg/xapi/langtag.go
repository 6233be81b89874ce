package xapi

import "strings"

// irregularTags are RFC 5646 §2.1 grandfathered tags that do not fit the
// langtag production. (The "regular" grandfathered tags, such as
// "zh-min-nan", happen to be well-formed langtags and need no list.)
var irregularTags = []string{
	"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak",
	"i-klingon", "i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay",
	"i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
}

// validLangTag reports whether tag is a well-formed RFC 5646 language tag
// (§2.1 syntax, case-insensitive) that repeats no variant or extension
// singleton (§2.2.5, §2.2.6). Data §2.2 requires at least checking "that
// the sequence of token lengths for language map keys matches the RFC 5646
// standard", and 2.0 rejects invalid tags; this checks all but the
// registry, so "xx-YY" passes and "something" (nine letters) and
// "ar-a-aaa-b-bbb-a-ccc" (a twice) do not.
func validLangTag(tag string) bool {
	if wellFormedLangTag(tag) {
		return true
	}
	for _, irregular := range irregularTags {
		if strings.EqualFold(tag, irregular) {
			return true
		}
	}
	return false
}

// wellFormedLangTag checks the langtag and privateuse productions.
func wellFormedLangTag(tag string) bool {
	if tag == "" || len(tag) > 256 {
		return false
	}
	var subs [64]string
	n := 0
	for s := tag; ; {
		sub, rest, more := strings.Cut(s, "-")
		if sub == "" || len(sub) > 8 || !allAlnum(sub) || n == len(subs) {
			return false
		}
		subs[n] = sub
		n++
		if !more {
			break
		}
		s = rest
	}
	tags := subs[:n]
	if strings.EqualFold(tags[0], "x") {
		return privateUse(tags)
	}
	// language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
	lang := tags[0]
	if len(lang) < 2 || !allAlpha(lang) {
		return false
	}
	i := 1
	// extlang = 3ALPHA *2("-" 3ALPHA), only after a 2-3 letter language
	if len(lang) <= 3 {
		for k := 0; k < 3 && i < n && len(tags[i]) == 3 && allAlpha(tags[i]); k++ {
			i++
		}
	}
	// script = 4ALPHA
	if i < n && len(tags[i]) == 4 && allAlpha(tags[i]) {
		i++
	}
	// region = 2ALPHA / 3DIGIT
	if i < n && (len(tags[i]) == 2 && allAlpha(tags[i]) || len(tags[i]) == 3 && allDigit(tags[i])) {
		i++
	}
	// variant = 5*8alphanum / (DIGIT 3alphanum); §2.2.5: "The same variant
	// subtag MUST NOT be used more than once within a language tag."
	for variants := i; i < n && (len(tags[i]) >= 5 || len(tags[i]) == 4 && isDigit(tags[i][0])); i++ {
		if containsFold(tags[variants:i], tags[i]) {
			return false
		}
	}
	// extension = singleton 1*("-" (2*8alphanum)); §2.2.6: "Each singleton
	// subtag MUST appear at most one time in each tag".
	var singletons []string
	for i < n && len(tags[i]) == 1 && !strings.EqualFold(tags[i], "x") {
		if containsFold(singletons, tags[i]) {
			return false
		}
		singletons = append(singletons, tags[i])
		i++
		start := i
		for i < n && len(tags[i]) >= 2 {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < n && strings.EqualFold(tags[i], "x") {
		return privateUse(tags[i:])
	}
	return i == n
}

// containsFold reports whether tags holds tag, ignoring case.
func containsFold(tags []string, tag string) bool {
	for _, t := range tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// privateUse checks privateuse = "x" 1*("-" (1*8alphanum)); subtags were
// already checked for length and characters.
func privateUse(tags []string) bool { return len(tags) >= 2 }

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

func allAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) {
			return false
		}
	}
	return true
}

func allDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
