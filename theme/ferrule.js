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

  /** Keep the current chapter in view in the sidebar. */
  function revealActiveChapter() {
    document.querySelector('.sidebar a.active')?.scrollIntoView({ block: 'center' })
  }

  addCopyButtons()
  revealActiveChapter()
})()
