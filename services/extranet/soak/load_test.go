package soak

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// load is the mixed traffic of the soak, through both balancers: reads and lists of the
// internal API, hour entry by a case member and approval by her supervisor, and the
// contact's reads, comments, uploads and downloads in the portal. It remembers every
// write that was answered 2xx, so that each can be read back afterwards.
type load struct {
	api, portal string // balancer addresses
	fx          *fixture
	seq         atomic.Uint64
	pending     chan string // hours created and not yet sent for approval

	mu       sync.Mutex
	hours    []string          // ids of created hours
	approved []string          // ids of approved hours
	comments []string          // ids of created comments
	uploads  map[string]string // file id → the content uploaded
	failures []string          // the first failed requests, for the report
	failed   int
	kinds    map[string]int // requests by kind
	metrics  vegeta.Metrics
}

func newLoad(st *stack, fx *fixture) *load {
	return &load{api: st.lb.apiURL, portal: st.lb.portalURL, fx: fx, pending: make(chan string, 10000),
		uploads: map[string]string{}, kinds: map[string]int{}}
}

// target fills in the next request: of every 20, 4 case reads, 2 case lists, 2 hour lists,
// 3 hour entries, 2 approvals (a case read when no hour waits), 2 portal case reads, 2
// portal comments, a comment list, an upload and a download. vegeta calls it from many
// workers at once.
func (l *load) target(tgt *vegeta.Target) error {
	n := l.seq.Add(1)
	api, portal := l.api+"/api/v1", l.portal+"/portal/v1"
	caseID := l.fx.caseID
	*tgt = vegeta.Target{Method: "GET", Header: http.Header{"Accept": {"application/vnd.api+json"}}}
	token := l.fx.carl
	switch k := n % 20; {
	case k < 4:
		tgt.URL = api + "/cases/" + caseID
	case k < 6:
		tgt.URL = api + "/cases?page[size]=20"
	case k < 8:
		tgt.URL = api + "/work-hours?filter[case]=" + caseID + "&page[size]=20"
	case k < 11:
		tgt.Method, tgt.URL, token = "POST", api+"/work-hours", l.fx.fay
		tgt.Body = jsonDoc(resource("work-hours", "", map[string]any{
			"workDate": time.Now().AddDate(0, 0, -int(n%60)).Format(time.DateOnly), "minutes": 15,
			"description": fmt.Sprintf("soak hour %d", n), "billable": true}, map[string]any{"case": rel("cases", caseID)}))
	case k < 13:
		select {
		case id := <-l.pending:
			tgt.Method, tgt.URL = "POST", api+"/work-hours/"+id+"/approve"
		default:
			tgt.URL = api + "/cases/" + caseID
		}
	case k < 15:
		tgt.URL, token = portal+"/cases/"+caseID, l.fx.ainoToken
	case k < 17:
		tgt.Method, tgt.URL, token = "POST", portal+"/cases/"+caseID+"/comments", l.fx.ainoToken
		tgt.Body = jsonDoc(resource("comments", "", map[string]any{"body": fmt.Sprintf("soak comment %d", n)}, nil))
	case k == 17:
		tgt.URL, token = portal+"/cases/"+caseID+"/comments?page[size]=20", l.fx.ainoToken
	case k == 18:
		body, ctype := multipartFile(fmt.Sprintf("soak-load-%d.txt", n), uploadContent(n))
		tgt.Method, tgt.URL, tgt.Body, token = "POST", portal+"/cases/"+caseID+"/files", body, l.fx.ainoToken
		tgt.Header.Set("Content-Type", ctype)
	default:
		tgt.URL, token = portal+"/files/"+l.fx.fileID+"/download", l.fx.ainoToken
	}
	if tgt.Body != nil && tgt.Header.Get("Content-Type") == "" {
		tgt.Header.Set("Content-Type", "application/vnd.api+json")
	}
	tgt.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// uploadContent is what the n-th request uploads, a few KiB that say which request it was.
func uploadContent(n uint64) []byte {
	return []byte(strings.Repeat(fmt.Sprintf("soak load upload %d\n", n), 200))
}

// record takes one answer: its figures, and the id of what a 2xx write created.
func (l *load) record(res *vegeta.Result) {
	kind := kindOf(res.Method, res.URL)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.metrics.Add(res)
	l.kinds[kind]++
	if res.Code < 200 || res.Code > 299 {
		l.failed++
		if len(l.failures) < 20 {
			l.failures = append(l.failures, fmt.Sprintf("%s %s %s → %d %s via %s at %s: %s", kind, res.Method, res.URL, res.Code,
				res.Error, res.Headers.Get("X-Soak-Server"), res.Timestamp.Format("15:04:05.000"), tail(string(res.Body), 300)))
		}
		return
	}
	switch kind {
	case "hour entry":
		id := createdID(res.Body)
		l.hours = append(l.hours, id)
		select {
		case l.pending <- id:
		default:
		}
	case "approval":
		l.approved = append(l.approved, strings.Split(strings.TrimPrefix(res.URL, l.api+"/api/v1/work-hours/"), "/")[0])
	case "portal comment":
		l.comments = append(l.comments, createdID(res.Body))
	case "portal upload":
		var d struct {
			Data struct {
				ID         string `json:"id"`
				Attributes struct {
					Name string `json:"name"`
				} `json:"attributes"`
			} `json:"data"`
		}
		_ = json.Unmarshal(res.Body, &d)
		var n uint64
		fmt.Sscanf(d.Data.Attributes.Name, "soak-load-%d.txt", &n) //nolint:errcheck // checked on read-back
		l.uploads[d.Data.ID] = string(uploadContent(n))
	}
}

// kindOf names a request of the mix.
func kindOf(method, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "other"
	}
	p := u.Path
	switch {
	case method == "POST" && strings.HasSuffix(p, "/approve"):
		return "approval"
	case method == "POST" && p == "/api/v1/work-hours":
		return "hour entry"
	case method == "POST" && strings.HasSuffix(p, "/comments"):
		return "portal comment"
	case method == "POST" && strings.HasSuffix(p, "/files"):
		return "portal upload"
	case strings.HasSuffix(p, "/download"):
		return "portal download"
	case strings.HasPrefix(p, "/portal/v1/") && strings.HasSuffix(p, "/comments"):
		return "portal comment list"
	case strings.HasPrefix(p, "/portal/v1/cases/"):
		return "portal case read"
	case p == "/api/v1/cases":
		return "case list"
	case p == "/api/v1/work-hours":
		return "hour list"
	case strings.HasPrefix(p, "/api/v1/cases/"):
		return "case read"
	}
	return "other"
}

// kindsReport lists the requests by kind.
func (l *load) kindsReport() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k, n := range l.kinds {
		out = append(out, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func createdID(body []byte) string {
	var d struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &d)
	return d.Data.ID
}

func jsonDoc(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
