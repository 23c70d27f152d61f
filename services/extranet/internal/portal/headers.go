package portal

import "github.com/gofiber/fiber/v2"

// contentSecurityPolicy allows the pages nothing but their own style sheets, images of the
// portal or over https (the firm's logo lives at an https address of its choosing), and
// forms that post to the portal itself: no scripts, no frames, no other foreign resources.
func contentSecurityPolicy(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; "+
		"frame-ancestors 'none'; base-uri 'none'")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return c.Next()
}
