package bench

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// scenario is one request a caller repeats.
type scenario struct {
	name   string
	method string
	path   string
	body   []byte
	token  bool // send the caller's token
}

// callerState is what the scenarios of one caller need from the data set.
type callerState struct {
	role, email, token string
	firstCase          string // a case the caller sees, "" if none
}

// scenarios returns the requests of a caller on a data set whose newest hours fall in month
// ("2026-11") and whose case ids run up to maxCase.
func scenarios(c callerState, password, month string, maxCase int64) []scenario {
	// The cursor of the default order (by id) is the id of the row before the page; the bench
	// makes one in the middle of the ids to ask for a deep page the way a client that paged
	// there would.
	mid, _ := json.Marshal([]any{maxCase / 2})
	deep := base64.RawURLEncoding.EncodeToString(mid)
	first, _ := time.Parse("2006-01", month)
	last := first.AddDate(0, 1, -1)
	out := []scenario{
		{name: "cases page 1", method: "GET", path: "/api/v1/cases?page[size]=50", token: true},
		{name: "cases page 1, cursor", method: "GET", path: "/api/v1/cases?page[size]=50&page[after]=", token: true},
		{name: "cases deep, cursor", method: "GET", path: "/api/v1/cases?page[size]=50&page[after]=" + deep, token: true},
		{name: "cases page 1000", method: "GET", path: "/api/v1/cases?page[size]=50&page[number]=1000", token: true},
		{name: "cases filter+sort", method: "GET", path: "/api/v1/cases?page[size]=50&filter[status]=open&sort=name", token: true},
		// Newest first, as a timesheet shows them.
		{name: "hours of a month", method: "GET", token: true, path: "/api/v1/work-hours?page[size]=50&sort=-workDate&filter[workDate]=" +
			first.Format(time.DateOnly) + ".." + last.Format(time.DateOnly)},
		{name: "cases report", method: "GET", path: "/api/v1/reports/cases", token: true},
	}
	if c.firstCase != "" {
		out = append(out,
			scenario{name: "case by id", method: "GET", path: "/api/v1/cases/" + c.firstCase, token: true},
			scenario{name: "enter an hour", method: "POST", path: "/api/v1/work-hours", token: true, body: []byte(fmt.Sprintf(
				`{"data":{"type":"work-hours","attributes":{"workDate":%q,"minutes":30,"description":"bench"},"relationships":{"case":{"data":{"type":"cases","id":%q}}}}}`,
				last.Format(time.DateOnly), c.firstCase))})
	}
	out = append(out, scenario{name: "login", method: "POST", path: "/api/v1/sessions", body: []byte(fmt.Sprintf(
		`{"data":{"type":"sessions","attributes":{"email":%q,"password":%q}}}`, c.email, password))})
	return out
}

// header is the request header of a scenario for a caller.
func (s scenario) header(token string) http.Header {
	h := http.Header{"Accept": {"application/vnd.api+json"}}
	if s.body != nil {
		h.Set("Content-Type", "application/vnd.api+json")
	}
	if s.token {
		h.Set("Authorization", "Bearer "+token)
	}
	return h
}

// firstCaseOf returns the id of the first case the caller sees, or "".
func firstCaseOf(api *apiProcess, token string) (string, error) {
	var doc struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	status, err := api.getJSON("/api/v1/cases?page[size]=1", token, &doc)
	if err != nil || status != http.StatusOK {
		return "", fmt.Errorf("bench: first case: status %d: %v", status, err)
	}
	if len(doc.Data) == 0 {
		return "", nil
	}
	if _, err := strconv.ParseInt(doc.Data[0].ID, 10, 64); err != nil {
		return "", err
	}
	return doc.Data[0].ID, nil
}
