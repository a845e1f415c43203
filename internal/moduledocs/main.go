// Command moduledocs writes each module's README.md from the module itself:
// its leading comment in main.tf, its examples/complete/main.tf, and the
// inputs and outputs tables (between BEGIN_TF_DOCS / END_TF_DOCS markers)
// from variables.tf and outputs.tf. With -check it changes nothing and fails
// when a README is not what it would write.
//
//	go run ./internal/moduledocs [-check] modules/*
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const (
	begin = "<!-- BEGIN_TF_DOCS -->"
	end   = "<!-- END_TF_DOCS -->"
)

func main() {
	check := flag.Bool("check", false, "fail when a README is out of date instead of writing it")
	flag.Parse()
	stale := 0
	for _, dir := range flag.Args() {
		want, err := readme(dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
			os.Exit(1)
		}
		path := filepath.Join(dir, "README.md")
		have, _ := os.ReadFile(path)
		if bytes.Equal(have, want) {
			continue
		}
		if *check {
			fmt.Fprintf(os.Stderr, "%s is out of date: run make generate\n", path)
			stale++
			continue
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
	if stale > 0 {
		os.Exit(1)
	}
}

func readme(dir string) ([]byte, error) {
	tables, err := docTables(dir)
	if err != nil {
		return nil, err
	}
	return []byte(introduction(dir) + begin + "\n" + tables + end + "\n"), nil
}

func introduction(dir string) string {
	name := filepath.Base(dir)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", name)
	if main, err := os.ReadFile(filepath.Join(dir, "main.tf")); err == nil {
		var lines []string
		for _, line := range strings.Split(string(main), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			lines = append(lines, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		}
		fmt.Fprintf(&b, "%s\n\n", strings.Join(lines, "\n"))
	}
	if example, err := os.ReadFile(filepath.Join(dir, "examples", "complete", "main.tf")); err == nil {
		fmt.Fprintf(&b, "## Example\n\nFrom [examples/complete](examples/complete), which the test suite applies:\n\n```hcl\n%s```\n\n", example)
	}
	return b.String()
}

func docTables(dir string) (string, error) {
	var b strings.Builder
	vars, err := blocks(filepath.Join(dir, "variables.tf"), "variable")
	if err != nil {
		return "", err
	}
	b.WriteString("## Inputs\n\n| Name | Description | Type | Default |\n|---|---|---|---|\n")
	for _, v := range vars {
		def := "required"
		if d, ok := v.attrs["default"]; ok {
			def = "`" + oneLine(d) + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", v.name, cell(v.attrs["description"]), oneLine(v.attrs["type"]), def)
	}
	outs, err := blocks(filepath.Join(dir, "outputs.tf"), "output")
	if err != nil {
		return "", err
	}
	b.WriteString("\n## Outputs\n\n| Name | Description |\n|---|---|\n")
	for _, o := range outs {
		fmt.Fprintf(&b, "| `%s` | %s |\n", o.name, cell(o.attrs["description"]))
	}
	return b.String(), nil
}

type block struct {
	name  string
	attrs map[string]string // source text of each attribute's expression
}

func blocks(path, kind string) ([]block, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []block
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type != kind || len(b.Labels) != 1 {
			continue
		}
		blk := block{name: b.Labels[0], attrs: map[string]string{}}
		for name, attr := range b.Body.Attributes {
			text := string(attr.Expr.Range().SliceBytes(src))
			if tmpl, ok := attr.Expr.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
				v, _ := tmpl.Value(nil)
				text = v.AsString()
			}
			blk.attrs[name] = text
		}
		out = append(out, blk)
	}
	slices.SortFunc(out, func(a, b block) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "|", "\\|")), " ")
}

func cell(s string) string { return oneLine(strings.TrimSpace(s)) }
