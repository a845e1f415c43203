package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// arnValidator checks that a string is an ARN of one AWS service and,
// optionally, that its resource part starts with a prefix ("role/").
type arnValidator struct {
	service        string
	resourcePrefix string
}

var _ validator.String = arnValidator{}

func (v arnValidator) Description(_ context.Context) string {
	d := fmt.Sprintf("must be an ARN of service %q", v.service)
	if v.resourcePrefix != "" {
		d += fmt.Sprintf(" whose resource starts with %q", v.resourcePrefix)
	}
	return d
}

func (v arnValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v arnValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkARN(req.ConfigValue.ValueString(), v.service, v.resourcePrefix); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ARN", fmt.Sprintf("%s %s: %s", req.Path, v.Description(ctx), err))
	}
}

// parsedARN holds the six colon-separated parts of an ARN.
type parsedARN struct {
	partition, service, region, account, resource string
}

func parseARN(s string) (parsedARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return parsedARN{}, fmt.Errorf("%q is not of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", s)
	}
	return parsedARN{partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5]}, nil
}

func checkARN(s, service, resourcePrefix string) error {
	a, err := parseARN(s)
	if err != nil {
		return err
	}
	if a.service != service {
		return fmt.Errorf("%q is an ARN of service %q", s, a.service)
	}
	if resourcePrefix != "" && !strings.HasPrefix(a.resource, resourcePrefix) {
		return fmt.Errorf("resource part %q does not start with %q", a.resource, resourcePrefix)
	}
	return nil
}

// httpURLValidator checks an absolute http(s) URL.
type httpURLValidator struct{}

var _ validator.String = httpURLValidator{}

func (httpURLValidator) Description(_ context.Context) string {
	return "must be an absolute http or https URL"
}

func (v httpURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v httpURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", fmt.Sprintf("%s %s, got %q", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// jsonObjectValidator checks that a string is a JSON object (filter policies).
type jsonObjectValidator struct{}

var _ validator.String = jsonObjectValidator{}

func (jsonObjectValidator) Description(_ context.Context) string { return "must be a JSON object" }

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v jsonObjectValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &obj); err != nil || obj == nil {
		msg := "null"
		if err != nil {
			msg = err.Error()
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON", fmt.Sprintf("%s %s: %s", req.Path, v.Description(ctx), msg))
	}
}

// Names: SQS allows 80 characters of [A-Za-z0-9_-] (".fifo" counts), ECS
// services 255 of [A-Za-z0-9_-], and the Copilot app/env/service names are
// lower-case DNS labels.
var (
	copilotNameRegexp  = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	queueNameRegexp    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
	ecsNameRegexp      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	envVarNameRegexp   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	clusterNameOrARNRe = regexp.MustCompile(`^([A-Za-z0-9_-]{1,255}|arn:[a-z-]+:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$`)
)

// checkQueueName applies SQS's naming rule and the FIFO suffix rule.
func checkQueueName(name string, fifo bool) error {
	base := name
	if fifo {
		if !strings.HasSuffix(name, fifoSuffix) {
			return fmt.Errorf("a FIFO queue name must end in %q, got %q", fifoSuffix, name)
		}
		base = strings.TrimSuffix(name, fifoSuffix)
	} else if strings.HasSuffix(name, fifoSuffix) {
		return fmt.Errorf("only a FIFO queue name may end in %q, got %q (set fifo = true)", fifoSuffix, name)
	}
	if len(name) > 80 || !queueNameRegexp.MatchString(base) {
		return fmt.Errorf("%q must be 1 to 80 characters (%q included for FIFO) of letters, digits, '-' and '_'", name, fifoSuffix)
	}
	return nil
}
