// Niceties only: every page works without this script.
;(() => {
  /** Add a "Copy link" button beside each rule ID. */
  function addCopyButtons() {
    for (const id of document.querySelectorAll('.rule > .rule-id')) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'copy-link'
      button.textContent = 'Copy link'
      button.setAttribute('aria-label', `Copy link to rule ${id.textContent}`)
      button.addEventListener('click', async () => {
        const url = new URL(id.getAttribute('href') ?? '', location.href).href
        try {
          await navigator.clipboard.writeText(url)
          button.textContent = 'Copied'
        } catch {
          // The clipboard needs a secure context; show the link instead.
          window.prompt('Link to this rule:', url)
        }
        setTimeout(() => {
          button.textContent = 'Copy link'
        }, 1500)
      })
      id.after(button)
    }
  }

  /** Keep the current chapter in view in the sidebar, without scrolling the page. */
  function revealActiveChapter() {
    const sidebar = document.querySelector('.sidebar')
    const active = sidebar?.querySelector('a.active')
    if (!sidebar || !active) return
    const top = active.getBoundingClientRect().top - sidebar.getBoundingClientRect().top
    if (top > sidebar.clientHeight * 0.8) sidebar.scrollTop += top - sidebar.clientHeight / 2
  }

  addCopyButtons()
  revealActiveChapter()
  // The live preview swaps in new content and says so.
  document.addEventListener('ferrule:content', addCopyButtons)
})()
