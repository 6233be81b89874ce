package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

type launchCmd struct{ stdout, stderr io.Writer }

const launchUsage = `
Usage: coursekit launch --endpoint URL --au IRI --learner NAME [--url URL] [flags]

Launches a cmi5 AU for a learner through coursekit serve's own launcher
(POST /cmi5/launch) and prints the launch URL: open it in a browser to take
the AU as that learner. The first launch of an AU needs --url, where its
launch page is served; later ones may name only the AU (or its --course).
The credential must have the scope all.
`

func (c *launchCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("launch", launchUsage, c.stdout)
	endpoint := fs.String("endpoint", "http://127.0.0.1:8080", "the LRS's `URL` (its xAPI URL, ending in /xapi/, works too)")
	// Not the flag's default: usage would print the secret.
	cred := fs.String("credential", "", "`KEY:SECRET` of an admin credential (default: $COURSEKIT_LRS_CREDENTIAL)")
	au := fs.String("au", "", "the AU's id in cmi5.xml (`IRI`)")
	auURL := fs.String("url", "", "`URL` where the AU's launch page is served, such as http://127.0.0.1:8000/index.html")
	course := fs.String("course", "", "the course's id in cmi5.xml (`IRI`)")
	learner := fs.String("learner", "", "the learner's account `name`")
	homePage := fs.String("home-page", "", "`URL` of the system the learner's account is on (default: the LRS's)")
	name := fs.String("name", "", "the learner's display `name`")
	mode := fs.String("mode", "Normal", "launch `mode`: Normal, Browse or Review")
	registration := fs.String("registration", "", "continue this registration (`UUID`) instead of starting one")
	returnURL := fs.String("return-url", "", "`URL` the AU goes to when it ends")
	mastery := fs.Float64("mastery-score", -1, "the AU's mastery `score`, 0 to 1 (default: the one the LRS keeps, if any)")
	asJSON := fs.Bool("json", false, "print the launcher's whole answer as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("launch takes no arguments")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["credential"] {
		*cred = os.Getenv("COURSEKIT_LRS_CREDENTIAL")
	}
	key, secret, ok := strings.Cut(*cred, ":")
	switch {
	case !ok:
		return usagef("--credential KEY:SECRET (or COURSEKIT_LRS_CREDENTIAL) is required")
	case *learner == "":
		return usagef("--learner is required")
	case *au == "" && *course == "":
		return usagef("--au (or --course) is required")
	}
	base, err := url.Parse(strings.TrimSuffix(strings.TrimRight(*endpoint, "/"), "/xapi"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return usagef("--endpoint %s is not an http(s) URL", *endpoint)
	}
	if *homePage == "" {
		*homePage = base.Scheme + "://" + base.Host
	}
	req := map[string]any{
		"learner":    map[string]string{"homePage": *homePage, "name": *learner, "displayName": *name},
		"launchMode": *mode,
	}
	for k, v := range map[string]string{"au": *au, "url": *auURL, "course": *course, "registration": *registration, "returnURL": *returnURL} {
		if v != "" {
			req[k] = v
		}
	}
	if given["mastery-score"] {
		req["masteryScore"] = *mastery
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/cmi5/launch", bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.SetBasicAuth(key, secret)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return fmt.Errorf("launch: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("launch: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		return launchFailure(resp.StatusCode, answer)
	}
	if *asJSON {
		_, err := c.stdout.Write(append(bytes.TrimSpace(answer), '\n'))
		return err
	}
	var out struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(answer, &out); err != nil || out.URL == "" {
		return fmt.Errorf("launch: the LRS answered 201 without a launch URL: %.200s", answer)
	}
	fmt.Fprintln(c.stdout, out.URL)
	return nil
}

// launchFailure says what the LRS refused, from its {error, property, rule}.
func launchFailure(status int, body []byte) error {
	var e struct{ Error, Property, Rule string }
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		return fmt.Errorf("launch: the LRS answered %d: %.200s", status, body)
	}
	if e.Property != "" {
		return fmt.Errorf("launch: %d %s: %s %s", status, e.Error, e.Property, e.Rule)
	}
	if status == http.StatusNotFound {
		return fmt.Errorf("launch: %d %s: is --endpoint a coursekit serve?", status, e.Error)
	}
	return fmt.Errorf("launch: %d %s", status, e.Error)
}
