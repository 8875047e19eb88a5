"""MkDocs plugin `hubgen`: runs the hubgen pipeline and adds its pages."""
