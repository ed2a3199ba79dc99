"""What every public form shares."""


class FocusFirstErrorMixin:
    """After a refused submit the cursor lands in the first field in error.

    The field gets the ``autofocus`` attribute when the page is rendered, so
    the browser moves focus there with or without JavaScript; the error
    summary above the form (``role="alert"``) is still read out. Errors added
    after validation (``add_error`` from a view) move the focus as well.
    """

    def full_clean(self) -> None:
        super().full_clean()
        self.focus_first_error()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self.focus_first_error()

    def focus_first_error(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        first = next(
            (
                name
                for name, field in self.fields.items()
                if name in errors and not field.widget.is_hidden
            ),
            None,
        )
        for name, field in self.fields.items():
            if name == first:
                field.widget.attrs["autofocus"] = True
            else:
                field.widget.attrs.pop("autofocus", None)
