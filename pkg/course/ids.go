package course

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// idPattern is the NCName subset coursekit allows for lesson, section,
// question and choice ids: safe as XML identifiers in SCORM manifests and as
// path segments of xAPI activity ids.
var idPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func validID(s string) bool { return idPattern.MatchString(s) }

const idRule = "ids start with a letter or '_' and contain only letters, digits, '-' and '_'"

// validIRI checks the parts of RFC 3987 that matter for course ids: a scheme,
// something after it, no whitespace or control characters, and a host for
// http and https.
func validIRI(s string) error {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" {
		return fmt.Errorf("has no scheme; write an absolute IRI such as https://example.org/courses/my-course")
	}
	for i, r := range scheme {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || r == '+' || r == '-' || r == '.'))) {
			return fmt.Errorf("has an invalid scheme %q; write an absolute IRI such as https://example.org/courses/my-course", scheme)
		}
	}
	if rest == "" {
		return fmt.Errorf("has nothing after its scheme")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>"{}|\^`+"`", r) {
			return fmt.Errorf("contains %q, which an IRI cannot; percent-encode it or use '-'", r)
		}
	}
	if scheme = strings.ToLower(scheme); scheme == "http" || scheme == "https" {
		host := strings.TrimPrefix(rest, "//")
		if host == rest || host == "" || strings.HasPrefix(host, "/") {
			return fmt.Errorf("has no host; write %s://HOST/PATH", scheme)
		}
	}
	return nil
}

// semverPattern is the regular expression semver.org publishes.
var semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// languageTag matches well-formed RFC 5646 language tags (langtag, private use
// and the grandfathered irregular forms that are still in use). The 4- to
// 8-letter primary subtags the grammar reserves are refused: none is
// registered, and they catch mistakes such as "english".
var languageTag = regexp.MustCompile(`(?i)^(?:` +
	`[a-z]{2,3}(?:-[a-z]{3}){0,3})` + // language
	`(?:-[a-z]{4})?` + // script
	`(?:-(?:[a-z]{2}|[0-9]{3}))?` + // region
	`(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*` + // variants
	`(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*` + // extensions
	`(?:-x(?:-[a-z0-9]{1,8})+)?$` + // private use
	`|^x(?:-[a-z0-9]{1,8})+$` +
	`|^(?:en-GB-oed|i-default|i-mingo|i-klingon|i-navajo)$`)

// parseDuration reads an estimated duration written as Go-style "1h30m" or
// ISO 8601 "PT1H30M".
func parseDuration(s string) (time.Duration, error) {
	if strings.HasPrefix(s, "PT") || strings.HasPrefix(s, "pt") {
		return parseISODuration(s[2:])
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("write a positive duration such as 45m, 1h30m or PT45M")
	}
	return d, nil
}

var isoTime = regexp.MustCompile(`(?i)^(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$`)

func parseISODuration(s string) (time.Duration, error) {
	m := isoTime.FindStringSubmatch(s)
	if m == nil || s == "" {
		return 0, fmt.Errorf("write a positive duration such as 45m, 1h30m or PT45M")
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	secs, _ := strconv.ParseFloat(m[3], 64)
	d := time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute + time.Duration(secs*float64(time.Second))
	if d <= 0 {
		return 0, fmt.Errorf("write a positive duration such as 45m, 1h30m or PT45M")
	}
	return d, nil
}
