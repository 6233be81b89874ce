package cmi5

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// Request is a launch: who, what, and how.
type Request struct {
	Learner Learner `json:"learner"`
	// AU is the AU's id in cmi5.xml. With URL it defines the AU (or updates
	// it); without, it names an AU launched before.
	AU  string `json:"au"`
	URL string `json:"url"`
	// Course is the course's id in cmi5.xml. Alone, it names a course of
	// one AU launched before.
	Course string `json:"course"`
	// LaunchMode is Normal (the default), Browse or Review.
	LaunchMode string `json:"launchMode"`
	// MoveOn, MasteryScore, LaunchParameters and LaunchMethod are the AU's
	// values in cmi5.xml. Given, they are kept as the AU's; left out, the
	// AU's kept values apply (or cmi5's defaults).
	MoveOn           string   `json:"moveOn"`
	MasteryScore     *float64 `json:"masteryScore"`
	LaunchParameters *string  `json:"launchParameters"`
	LaunchMethod     string   `json:"launchMethod"`
	// ReturnURL is where the AU sends the learner when it ends.
	ReturnURL string `json:"returnURL"`
	// Registration continues a registration of the same learner and
	// course; left out, the launch starts a new one.
	Registration string `json:"registration"`
}

// Learner is the launched learner, an account on the LMS's system.
type Learner struct {
	HomePage    string `json:"homePage"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

// The values of cmi5.xml's vocabularies (§13.1.4) and of launchMode (§10.2.2).
var (
	launchModes   = []string{"Normal", "Browse", "Review"}
	moveOns       = []string{"Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"}
	launchMethods = []string{"AnyWindow", "OwnWindow"}
)

// launchParams are the query parameters the launcher adds to the AU's URL
// (§8.1), which the URL may therefore not have.
var launchParams = []string{"endpoint", "fetch", "actor", "registration", "activityId"}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// maxText bounds the request's strings: ids, URLs and names alike.
const maxText = 2048

// validate checks the request as sent and fills in the launch mode.
func (r *Request) validate() error {
	for _, f := range []struct{ name, value string }{
		{"learner.homePage", r.Learner.HomePage}, {"learner.name", r.Learner.Name}, {"learner.displayName", r.Learner.DisplayName},
		{"au", r.AU}, {"url", r.URL}, {"course", r.Course}, {"returnURL", r.ReturnURL},
	} {
		if len(f.value) > maxText || !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			return &InvalidError{f.name, fmt.Sprintf("must be UTF-8 text of at most %d bytes, without NUL", maxText)}
		}
	}
	switch {
	case r.Learner.HomePage == "" || !isWebURL(r.Learner.HomePage):
		return &InvalidError{"learner.homePage", "is required: the http(s) URL of the system the learner's account is on, such as https://lms.example.org"}
	case strings.TrimSpace(r.Learner.Name) == "":
		return &InvalidError{"learner.name", "is required: the learner's account name (an id, not an e-mail address)"}
	case r.AU == "" && r.Course == "":
		return &InvalidError{"au", "is required (or course, naming a course of one AU launched before): the AU's id in cmi5.xml"}
	case r.AU != "" && !isIRI(r.AU):
		return &InvalidError{"au", "must be an IRI: the AU's id in cmi5.xml"}
	case r.Course != "" && !isIRI(r.Course):
		return &InvalidError{"course", "must be an IRI: the course's id in cmi5.xml"}
	case r.URL != "" && r.AU == "":
		return &InvalidError{"au", "is required with url: the AU's id in cmi5.xml"}
	case r.URL != "" && !isWebURL(r.URL):
		return &InvalidError{"url", "must be an absolute http(s) URL: where the AU's launch page is served"}
	case r.ReturnURL != "" && !isWebURL(r.ReturnURL):
		return &InvalidError{"returnURL", "must be an absolute http(s) URL"}
	case r.Registration != "" && !uuidPattern.MatchString(r.Registration):
		return &InvalidError{"registration", "must be a UUID"}
	case r.LaunchMode != "" && !slices.Contains(launchModes, r.LaunchMode):
		return &InvalidError{"launchMode", "must be one of " + strings.Join(launchModes, ", ")}
	case r.MoveOn != "" && !slices.Contains(moveOns, r.MoveOn):
		return &InvalidError{"moveOn", "must be one of " + strings.Join(moveOns, ", ")}
	case r.LaunchMethod != "" && !slices.Contains(launchMethods, r.LaunchMethod):
		return &InvalidError{"launchMethod", "must be one of " + strings.Join(launchMethods, ", ")}
	case r.MasteryScore != nil && !validMastery(*r.MasteryScore):
		return &InvalidError{"masteryScore", "must be a number from 0 to 1 with at most 4 decimal places"}
	case r.LaunchParameters != nil && (len(*r.LaunchParameters) > maxText || !utf8.ValidString(*r.LaunchParameters)):
		return &InvalidError{"launchParameters", fmt.Sprintf("must be UTF-8 text of at most %d bytes", maxText)}
	}
	if r.URL != "" {
		u, _ := url.Parse(r.URL)
		for _, p := range launchParams {
			if u.Query().Has(p) {
				return &InvalidError{"url", "must not have a " + p + " parameter: the launcher adds it (cmi5 §8.1)"}
			}
		}
	}
	if r.LaunchMode == "" {
		r.LaunchMode = "Normal"
	}
	r.Registration = strings.ToLower(r.Registration)
	return nil
}

// actor is the learner as an xAPI Agent, and its identifier.
func (l Learner) actor() (json.RawMessage, string, error) {
	a := map[string]any{"objectType": "Agent", "account": map[string]string{"homePage": l.HomePage, "name": l.Name}}
	if l.DisplayName != "" {
		a["name"] = l.DisplayName
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, "", err
	}
	agent, err := xapi.ParseAgent(b, xapi.Version103)
	if err != nil {
		return nil, "", &InvalidError{"learner", "is not a valid xAPI account: " + err.Error()}
	}
	return b, agent.IFI(), nil
}

func validMastery(m float64) bool {
	scaled := m * 10000
	return m >= 0 && m <= 1 && math.Abs(scaled-math.Round(scaled)) < 1e-6
}

// isIRI is the same loose check as the API's: a scheme and no spaces.
func isIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.ContainsAny(s, " \t\r\n") && len(s) > len(u.Scheme)+1
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}
