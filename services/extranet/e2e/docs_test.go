package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caseroom/caseroom/pkg/browsertest"
)

// TestDocsInBrowser: /docs of each service renders that service's own OpenAPI document in a
// real Chromium, from files the binary serves, under the page's CSP (no violation, no script
// error), and try-it calls go to the service itself (the document's servers entry is "/").
func TestDocsInBrowser(t *testing.T) {
	chromium := browsertest.FindChromium(t)
	st := startStack(t)
	ctx := browsertest.New(t, chromium, "").Ctx
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	for _, page := range []struct{ base, title string }{{st.apiURL, "Caseroom internal API"}, {st.portalURL, "Caseroom"}} {
		watch, stop := context.WithCancel(ctx)
		messages := chromedp.Console(watch)
		problems := make(chan []string, 1)
		go func() {
			var found []string
			for m, err := range messages {
				if err != nil {
					break
				}
				if m.Type == chromedp.ConsoleError || m.IsException() {
					found = append(found, m.String())
				}
			}
			problems <- found
		}()
		run, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := chromedp.Do(run, chromedp.Navigate(page.base+"/docs"), chromedp.WaitVisible(css(".swagger-ui .info .title")),
			chromedp.WaitVisible(css(".swagger-ui .opblock")))
		var shown, servers string
		if err == nil {
			shown, err = chromedp.Run(run, chromedp.Text(css(".swagger-ui .info .title")))
		}
		if err == nil {
			servers, err = chromedp.Run(run, chromedp.Evaluate[string](
				`Array.from(document.querySelectorAll(".servers option")).map(o => o.value).join(",")`))
		}
		cancel()
		stop()
		found := <-problems
		if err != nil {
			t.Fatalf("%s/docs: %v", page.base, err)
		}
		if !strings.Contains(shown, page.title) || servers != "/" {
			t.Fatalf("%s/docs shows %q with servers %q", page.base, shown, servers)
		}
		if len(found) > 0 {
			t.Fatalf("%s/docs logged:\n%s", page.base, strings.Join(found, "\n"))
		}
	}
}
