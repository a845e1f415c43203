package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func (r *workerPipelineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("expected <cluster name>/<service name>/<queue name>, got %q", req.ID))
		return
	}
	for attr, v := range map[string]string{"id": req.ID, "cluster": parts[0], "service_name": parts[1], "queue_name": parts[2]} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
	// Settings that live only in Terraform take their defaults.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_steady_state"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("task_definition_ownership"), ownershipTerraform)...)
}
