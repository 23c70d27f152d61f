package e2e

import "github.com/chromedp/chromedp"

// visible waits for a CSS selector to be visible.
func visible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}
