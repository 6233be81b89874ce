package xapi

import (
	"strings"
	"testing"
)

const (
	agentJSON    = `{"mbox":"mailto:a@example.com"}`
	verbJSON     = `{"id":"http://example.com/verbs/did"}`
	activityJSON = `{"id":"http://example.com/activities/a"}`
	uuid1        = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
)

// stmt builds a statement from a default actor, verb and object, replacing
// any of them given in kv (name, JSON value pairs) and adding the other
// pairs after them.
func stmt(kv ...string) string {
	parts := map[string]string{"actor": agentJSON, "verb": verbJSON, "object": activityJSON}
	var extra strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if _, ok := parts[kv[i]]; ok {
			parts[kv[i]] = kv[i+1]
			continue
		}
		extra.WriteString(`,"` + kv[i] + `":` + kv[i+1])
	}
	return `{"actor":` + parts["actor"] + `,"verb":` + parts["verb"] + `,"object":` + parts["object"] + extra.String() + "}"
}

// ruleCase is an invalid statement and the error it must get.
type ruleCase struct {
	name       string
	json       string
	prop, rule string
}

func runRules(t *testing.T, v Version, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DecodeStatements([]byte(tt.json), v)
			if err == nil {
				t.Fatalf("DecodeStatements(%s) = %+v, want error %s: %s", tt.json, s, tt.prop, tt.rule)
			}
			checkError(t, tt.json, err, tt.prop, tt.rule)
		})
	}
}

func TestRulesJSON(t *testing.T) {
	deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
	runRules(t, Version103, []ruleCase{
		{"empty", ``, "", "malformed JSON at byte 0: unexpected end of input"},
		{"truncated", `{"actor":`, "actor", "malformed JSON at byte 9: unexpected end of input"},
		{"trailing data", stmt() + ` {}`, "", "malformed JSON at byte 137: unexpected data after the JSON value"},
		{"missing comma", `{"actor":{} "verb":{}}`, "", "malformed JSON at byte 12: expected ',' or '}' after a property value"},
		{"unquoted name", `{actor:{}}`, "", "malformed JSON at byte 1: expected a property name in double quotes"},
		{"single quotes", `{"actor":'x'}`, "actor", "malformed JSON at byte 9: unexpected character '\\''"},
		{"leading zero", stmt("result", `{"score":{"raw":01}}`), "result.score", "malformed JSON at byte 162: expected ',' or '}' after a property value"},
		{"bare dot", stmt("result", `{"score":{"raw":1.}}`), "result.score.raw", "malformed JSON at byte 163: invalid number: no digits after the decimal point"},
		{"NaN", stmt("result", `{"score":{"raw":NaN}}`), "result.score.raw", "malformed JSON at byte 161: unexpected character 'N'"},
		{"bad literal", stmt("result", `{"success":tru}`), "result.success", "malformed JSON at byte 156: invalid literal (expected true)"},
		{"duplicated property", `{"actor":{},"actor":{}}`, "actor", "is given more than once"},
		{"duplicated nested property", stmt("actor", `{"mbox":"mailto:a@example.com","mbox":"mailto:b@example.com"}`), "actor.mbox", "is given more than once"},
		{"duplicated after escape", stmt("actor", `{"mbox":"mailto:a@example.com","\u006dbox":"mailto:b@example.com"}`), "actor.mbox", "is given more than once"},
		{"duplicated in a large object", stmt("result", `{"extensions":{`+manyMembers(40)+`,"http://e.com/7":1}}`), `result.extensions["http://e.com/7"]`, "is given more than once"},
		{"invalid UTF-8", stmt("verb", "{\"id\":\"http://example.com/v\",\"display\":{\"en-US\":\"caf\xe9\"}}"), `verb.display["en-US"]`, "malformed JSON at byte 100: invalid UTF-8"},
		{"lone surrogate", stmt("verb", `{"id":"http://example.com/v","display":{"en-US":"\ud800"}}`), `verb.display["en-US"]`, "malformed JSON at byte 97: invalid \\u escape or lone UTF-16 surrogate"},
		{"control character", stmt("verb", "{\"id\":\"http://example.com/v\",\"display\":{\"en-US\":\"a\tb\"}}"), `verb.display["en-US"]`, "malformed JSON at byte 98: control character in string"},
		{"bad escape", stmt("verb", `{"id":"http://example.com/v","display":{"en-US":"\x41"}}`), `verb.display["en-US"]`, "malformed JSON at byte 97: invalid escape sequence"},
		{"too deep", stmt("result", `{"extensions":{"http://e.com/x":`+deep+`}}`), `result.extensions["http://e.com/x"]` + strings.Repeat("[0]", 61), "nesting deeper than 64 levels"},
		{"not an object", `"statement"`, "", "must be a statement (a JSON object) or an array of statements"},
		{"null document", `null`, "", ruleNull},
		{"batch element not an object", `[` + stmt() + `,1]`, "[1]", "must be a statement (a JSON object)"},
		{"batch element invalid", `[` + stmt() + `,` + stmt("verb", `{"id":"did"}`) + `]`, "[1].verb.id", ruleIRI},
		{"batch syntax error", `[` + stmt() + `,{"actor":}]`, "[1].actor", "malformed JSON at byte 147: unexpected character '}'"},
		{"batch duplicate ids", `[` + stmt("id", `"`+uuid1+`"`) + `,` + stmt("id", `"`+strings.ToUpper(uuid1)+`"`) + `]`, "[1].id", "repeats the id of statement [0]; ids in a batch must be distinct"},
	})
}

// manyMembers returns n extension members "http://e.com/0":0, ...
func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"http://e.com/` + itoaTest(i) + `":` + itoaTest(i))
	}
	return b.String()
}

func itoaTest(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoaTest(i/10) + string(rune('0'+i%10))
}

func TestRulesStatement(t *testing.T) {
	sub := func(kv ...string) string {
		inner := stmt(kv...)
		return `{"objectType":"SubStatement",` + inner[1:]
	}
	runRules(t, Version103, []ruleCase{
		{"no actor", `{"verb":` + verbJSON + `,"object":` + activityJSON + `}`, "actor", ruleRequired},
		{"no verb", `{"actor":` + agentJSON + `,"object":` + activityJSON + `}`, "verb", ruleRequired},
		{"no object", `{"actor":` + agentJSON + `,"verb":` + verbJSON + `}`, "object", ruleRequired},
		{"unknown property", stmt("inProgress", "false"), "inProgress", ruleUnknown},
		{"property case", `{"Actor":` + agentJSON + `}`, "Actor", ruleUnknown},
		{"objectType on a statement", stmt("objectType", `"SubStatement"`), "objectType", ruleUnknown},
		{"null property", stmt("result", "null"), "result", ruleNull},
		{"id not a UUID", stmt("id", `"fd41c918-b88b-4b20-a0a5-a4c32391aaa"`), "id", ruleUUID},
		{"id too long", stmt("id", `"AA97B177-9383-4934-8543-0F91A7A028368"`), "id", ruleUUID},
		{"id not hex", stmt("id", `"MA97B177-9383-4934-8543-0F91A7A02836"`), "id", ruleUUID},
		{"id number", stmt("id", `12345`), "id", ruleUUID},
		{"id empty", stmt("id", `""`), "id", ruleUUID},
		{"version 2.0 in 1.0", stmt("version", `"2.0.0"`), "version", `must be a 1.0.x version such as "1.0.0"`},
		{"version without minor", stmt("version", `"1"`), "version", `must be a 1.0.x version such as "1.0.0"`},
		{"version with a dot and no patch", stmt("version", `"1.0."`), "version", `must be a 1.0.x version such as "1.0.0"`},
		{"version number", stmt("version", `1.0`), "version", `must be a 1.0.x version such as "1.0.0"`},
		{"timestamp text", stmt("timestamp", `"should fail"`), "timestamp", ruleTimestamp},
		{"timestamp US date", stmt("timestamp", `"01/011/2015"`), "timestamp", ruleTimestamp},
		{"timestamp -0000", stmt("timestamp", `"2008-09-15T15:53:00.601-0000"`), "timestamp", ruleTimestamp},
		{"timestamp -00:00", stmt("timestamp", `"2008-09-15T15:53:00.601-00:00"`), "timestamp", ruleTimestamp},
		{"timestamp space in 1.0", stmt("timestamp", `"2008-09-15 15:53:00.601+00:00"`), "timestamp", ruleTimestamp},
		{"timestamp month 13", stmt("timestamp", `"2008-13-15T15:53:00Z"`), "timestamp", ruleTimestamp},
		{"timestamp 30 February", stmt("timestamp", `"2008-02-30T15:53:00Z"`), "timestamp", ruleTimestamp},
		{"timestamp date only", stmt("timestamp", `"2008-02-03"`), "timestamp", ruleTimestamp},
		{"timestamp number", stmt("timestamp", `1234567890`), "timestamp", ruleTimestamp},
		{"stored invalid", stmt("stored", `"yesterday"`), "stored", ruleTimestamp},
		{"authority identified group", stmt("authority", `{"objectType":"Group","mbox":"mailto:g@example.com","member":[`+agentJSON+`,{"mbox":"mailto:b@example.com"}]}`), "authority", "a Group authority must be an anonymous Group of two Agents (3-legged OAuth)"},
		{"authority group of one", stmt("authority", `{"objectType":"Group","member":[`+agentJSON+`]}`), "authority.member", "must list exactly two Agents in a Group authority (3-legged OAuth)"},
		{"authority group of three", stmt("authority", `{"objectType":"Group","member":[`+agentJSON+`,`+agentJSON+`,`+agentJSON+`]}`), "authority.member", "must list exactly two Agents in a Group authority (3-legged OAuth)"},
		{"authority without IFI", stmt("authority", `{"name":"LRS"}`), "authority", ruleIFI},
		{"voiding an activity", stmt("verb", `{"id":"`+VoidedVerb+`"}`), "object.objectType", "must be StatementRef when the verb is " + VoidedVerb},
		{"revision with agent object", stmt("object", `{"objectType":"Agent","mbox":"mailto:b@example.com"}`, "context", `{"revision":"2"}`), "context.revision", "must only be used when the object is an Activity"},
		{"platform with statement ref", stmt("object", `{"objectType":"StatementRef","id":"`+uuid1+`"}`, "context", `{"platform":""}`), "context.platform", "must only be used when the object is an Activity"},
		{"substatement with id", stmt("object", sub("id", `"`+uuid1+`"`)), "object.id", "must not be used in a SubStatement"},
		{"substatement with stored", stmt("object", sub("stored", `"2013-05-18T05:32:34.804Z"`)), "object.stored", "must not be used in a SubStatement"},
		{"substatement with version", stmt("object", sub("version", `"1.0.0"`)), "object.version", "must not be used in a SubStatement"},
		{"substatement with authority", stmt("object", sub("authority", agentJSON)), "object.authority", "must not be used in a SubStatement"},
		{"nested substatement", stmt("object", sub("object", sub())), "object.object.objectType", "must not be SubStatement inside a SubStatement"},
		{"substatement voiding", stmt("object", sub("verb", `{"id":"`+VoidedVerb+`"}`, "object", `{"objectType":"StatementRef","id":"`+uuid1+`"}`)), "object.verb.id", "must not be the voided verb in a SubStatement, which describes no event to void"},
		{"substatement without actor", stmt("object", `{"objectType":"SubStatement","verb":`+verbJSON+`,"object":`+activityJSON+`}`), "object.actor", ruleRequired},
		{"substatement invalid context", stmt("object", sub("context", `{"language":"english language"}`)), "object.context.language", ruleLangTag},
		{"substatement objectType case", stmt("object", `{"objectType":"substatement"}`), "object.objectType", `must be "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`},
		{"statement ref bad id", stmt("object", `{"objectType":"StatementRef","id":"abc"}`), "object.id", ruleUUID},
		{"statement ref extra property", stmt("object", `{"objectType":"StatementRef","id":"`+uuid1+`","definition":{}}`), "object.definition", ruleUnknown},
		{"attachments not an array", stmt("attachments", `{}`), "attachments", ruleArray},
		{"attachment without usageType", stmt("attachments", `[{"display":{"en":"a"},"contentType":"text/plain","length":1,"sha2":"`+sha256Hex+`"}]`), "attachments[0].usageType", ruleRequired},
		{"attachment without sha2", stmt("attachments", `[`+attachment("sha2", "")+`]`), "attachments[0].sha2", ruleRequired},
		{"attachment usageType", stmt("attachments", `[`+attachment("usageType", `"signature"`)+`]`), "attachments[0].usageType", ruleIRI},
		{"attachment display", stmt("attachments", `[`+attachment("display", `{"en-US":"a","something":"b"}`)+`]`), "attachments[0].display.something", "is not an RFC 5646 language tag"},
		{"attachment contentType", stmt("attachments", `[`+attachment("contentType", `"text"`)+`]`), "attachments[0].contentType", "must be an Internet media type such as text/plain"},
		{"attachment negative length", stmt("attachments", `[`+attachment("length", `-1`)+`]`), "attachments[0].length", "must be a non-negative integer (octets)"},
		{"attachment fractional length", stmt("attachments", `[`+attachment("length", `1.5`)+`]`), "attachments[0].length", "must be a non-negative integer (octets)"},
		{"attachment string length", stmt("attachments", `[`+attachment("length", `"27"`)+`]`), "attachments[0].length", "must be a non-negative integer (octets)"},
		{"attachment sha2", stmt("attachments", `[`+attachment("sha2", `"abc"`)+`]`), "attachments[0].sha2", "must be the hex SHA-2 (224, 256, 384 or 512 bits) of the attachment"},
		{"attachment fileUrl", stmt("attachments", `[`+attachment("fileUrl", `"file.txt"`)+`]`), "attachments[0].fileUrl", "must be an IRL with a scheme"},
		{"attachment unknown property", stmt("attachments", `[`+attachment("data", `"aGk="`)+`]`), "attachments[0].data", ruleUnknown},
		{"signature content type", stmt("attachments", `[`+attachment("usageType", `"`+SignatureUsageType+`"`)+`]`), "attachments[0].contentType", `must be "application/octet-stream" for a signature`},
	})
}

// TestRules20 checks rules that differ in xAPI 2.0.
func TestRules20(t *testing.T) {
	runRules(t, Version200, []ruleCase{
		{"version 1.1", stmt("version", `"1.1.0"`), "version", `must be a 1.0.x or 2.0.x version such as "2.0.0"`},
		{"timestamp -00", stmt("timestamp", `"2008-09-15T15:53:00.601-00"`), "timestamp", ruleTimestamp20},
	})
}

const sha256Hex = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"

// attachment returns a valid attachment with one property replaced, or
// removed when value is "".
func attachment(key, value string) string {
	props := [][2]string{
		{"usageType", `"http://example.com/attachment-usage/test"`},
		{"display", `{"en-US":"A test attachment"}`},
		{"contentType", `"text/plain; charset=ascii"`},
		{"length", `27`},
		{"sha2", `"` + sha256Hex + `"`},
	}
	found := false
	var b strings.Builder
	for _, p := range props {
		if p[0] == key {
			found = true
			if value == "" {
				continue
			}
			p[1] = value
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + p[0] + `":` + p[1])
	}
	if !found {
		b.WriteString(`,"` + key + `":` + value)
	}
	return "{" + b.String() + "}"
}
