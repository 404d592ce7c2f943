// Niceties only: every page works without this script. It adds nothing to the content: its buttons
// are in the pages already (hidden without scripts), and it answers them from the document.
;(() => {
  const root = document.body.dataset.root ?? ''

  /** Copy `text`, saying so on `button`; where the clipboard is refused, show the text to copy. */
  async function copy(button, text, done) {
    try {
      await navigator.clipboard.writeText(text)
      const label = button.textContent
      button.textContent = done
      setTimeout(() => (button.textContent = label), 1500)
    } catch {
      // The clipboard needs a secure context.
      window.prompt('Copy this:', text)
    }
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.copy-link, button.code-copy') : null
    if (!button) return
    if (button.classList.contains('copy-link')) {
      const link = button.parentElement?.querySelector(':scope > .rule-id')
      if (link) void copy(button, new URL(link.getAttribute('href') ?? '', location.href).href, 'Copied')
    } else {
      const code = button.parentElement?.querySelector('pre')
      if (code) void copy(button, code.textContent ?? '', 'Copied')
    }
  })

  /** Keep the current chapter in view in the sidebar, without scrolling the page. */
  function revealActiveChapter() {
    const sidebar = document.querySelector('.sidebar')
    const active = sidebar?.querySelector('a.active')
    if (!sidebar || !active) return
    const top = active.getBoundingClientRect().top - sidebar.getBoundingClientRect().top
    if (top > sidebar.clientHeight * 0.8) sidebar.scrollTop += top - sidebar.clientHeight / 2
  }

  /** A button that switches between light and dark, and remembers the choice. */
  function addThemeToggle() {
    const links = document.querySelector('.book-links')
    if (!links) return
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'theme-toggle'
    const current = () => document.documentElement.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')
    const show = () => {
      const dark = current() === 'dark'
      button.textContent = dark ? 'Light' : 'Dark'
      button.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme')
    }
    button.addEventListener('click', () => {
      const next = current() === 'dark' ? 'light' : 'dark'
      document.documentElement.dataset.theme = next
      try {
        localStorage.setItem('ferrule-theme', next)
      } catch {
        // Private windows may refuse storage; the choice then lasts for this page.
      }
      show()
    })
    show()
    links.append(button)
  }

  /** `rules.html#ID`: a permalink to a rule, wherever it lives now. */
  function followPermalink() {
    if (!document.querySelector('.rules-page') || location.hash.length < 2) return
    const id = decodeURIComponent(location.hash.slice(1))
    const row = document.querySelector(`tr[data-rule="${CSS.escape(id)}"]`)
    const link = row?.querySelector('a[data-permalink]')
    if (link) location.replace(link.href)
  }

  function typing(event) {
    const target = event.target
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  }

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event)) return
    if (event.key === '/' || event.key === 's') {
      const input = document.getElementById('search-input')
      if (input && !input.closest('[hidden]')) {
        event.preventDefault()
        input.focus()
      }
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const link = document.querySelector(event.key === 'ArrowLeft' ? '.pager a[rel="prev"]' : '.pager a[rel="next"]')
      if (link) location.href = link.href
    }
  })

  // Search: the site's pagefind index for words, and shards of rule IDs for IDs and their prefixes.
  const idPattern = /^[a-z0-9_-]+(?:\.[a-z0-9_.-]*)?$/
  let pagefind
  let shardRanges
  const shards = new Map()
  const url = (path) => new URL(root + path.replace(/^\//, ''), location.href)

  async function loadPagefind() {
    pagefind ??= import(url('pagefind/pagefind.js').href).then(async (module) => {
      await module.options({ excerptLength: 24 })
      return module
    })
    return pagefind
  }

  async function fetchJson(path) {
    const response = await fetch(url(path))
    if (!response.ok) throw new Error(`${path}: ${response.status}`)
    return response.json()
  }

  /**
   * Rules whose ID is the query or starts with it, shortest first. `search/ids.json` gives the first
   * and last ID (lower-cased) of each shard of IDs; the shards fetched are those whose range meets the
   * IDs that start with the query, at most three.
   */
  async function ruleMatches(query) {
    if (!idPattern.test(query)) return []
    shardRanges ??= fetchJson('search/ids.json').catch(() => [])
    const end = `${query}\uffff`
    const wanted = (await shardRanges).flatMap(([first, last], index) => (first < end && last >= query ? [index] : [])).slice(0, 3)
    const rows = (
      await Promise.all(
        wanted.map((index) => {
          if (!shards.has(index)) shards.set(index, fetchJson(`search/ids/${index}.json`).catch(() => []))
          return shards.get(index)
        }),
      )
    ).flat()
    return rows
      .filter(([id]) => id.toLowerCase().startsWith(query))
      .sort((a, b) => a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([id, path, chapter, section]) => ({ title: id, place: [chapter, section].filter(Boolean).join(' › '), excerpt: '', href: url(path).href, id: true }))
  }

  async function wordMatches(query) {
    const module = await loadPagefind()
    const search = await module.search(query)
    const found = await Promise.all(search.results.slice(0, 8).map((result) => result.data()))
    return found.map((data) => ({
      title: data.meta.title ?? data.url,
      place: [data.meta.chapter, data.meta.section].filter(Boolean).join(' › '),
      excerpt: data.excerpt,
      href: url(data.url).href,
      id: false,
    }))
  }

  function setUpSearch() {
    const box = document.querySelector('.search')
    const input = document.getElementById('search-input')
    const list = document.getElementById('search-results')
    if (!box || !input || !list || location.protocol === 'file:') return
    box.hidden = false
    let asked = 0
    let selected = -1
    const close = () => {
      list.hidden = true
      input.setAttribute('aria-expanded', 'false')
    }
    const select = (index) => {
      const items = [...list.querySelectorAll('li[role="option"]')]
      selected = Math.max(-1, Math.min(items.length - 1, index))
      items.forEach((item, at) => item.setAttribute('aria-selected', String(at === selected)))
      if (selected >= 0) input.setAttribute('aria-activedescendant', items[selected].id)
    }
    const show = (results, query) => {
      list.replaceChildren()
      selected = -1
      if (results.length === 0) {
        const none = document.createElement('li')
        none.className = 'search-status'
        none.textContent = `Nothing found for “${query}”.`
        list.append(none)
      }
      results.forEach((result, index) => {
        const item = document.createElement('li')
        item.setAttribute('role', 'option')
        item.id = `search-result-${index}`
        const link = document.createElement('a')
        link.href = result.href
        const title = document.createElement(result.id ? 'code' : 'span')
        title.className = 'result-title'
        title.textContent = result.title
        const place = document.createElement('span')
        place.className = 'result-place'
        place.textContent = result.place
        const excerpt = document.createElement('span')
        excerpt.className = 'result-excerpt'
        // Pagefind's excerpt: the page's text, escaped, with the query's words in <mark>.
        excerpt.innerHTML = result.excerpt
        link.append(title, place, excerpt)
        item.append(link)
        list.append(item)
      })
      list.hidden = false
      input.setAttribute('aria-expanded', 'true')
    }
    let pause
    input.addEventListener('input', () => {
      // Once the reader pauses: each keystroke would fetch index chunks of its own.
      clearTimeout(pause)
      pause = setTimeout(search, 120)
    })
    const search = async () => {
      const query = input.value.trim()
      const ask = ++asked
      if (query === '') return close()
      try {
        // A query with a dot is an ID: words are searched only when no rule has it.
        const rules = await ruleMatches(query.toLowerCase())
        const words = rules.length > 0 && query.includes('.') ? [] : await wordMatches(query)
        const seen = new Set(rules.map((rule) => rule.href))
        if (ask === asked) show([...rules, ...words.filter((word) => !seen.has(word.href))], query)
      } catch (error) {
        if (ask !== asked) return
        list.replaceChildren(Object.assign(document.createElement('li'), { className: 'search-status', textContent: `Search failed: ${error.message}` }))
        list.hidden = false
      }
    }
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        select(selected + (event.key === 'ArrowDown' ? 1 : -1))
      } else if (event.key === 'Enter') {
        event.preventDefault()
        const link = list.querySelectorAll('li[role="option"] a')[Math.max(0, selected)]
        if (link) location.href = link.href
      } else if (event.key === 'Escape') {
        close()
      }
    })
    document.addEventListener('click', (event) => {
      if (event.target instanceof Node && !box.contains(event.target)) close()
    })
  }

  followPermalink()
  revealActiveChapter()
  addThemeToggle()
  setUpSearch()
})()
