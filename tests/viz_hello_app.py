"""A trivial solara page: the browser test of the offline front end serves it."""

import solara


@solara.component
def Page():
    count = solara.use_reactive(0)
    solara.Markdown("# offline hello")
    solara.Button(f"clicked {count.value}", on_click=lambda: count.set(count.value + 1))
