/*
 * linechat.js — draws LINE messages (Messaging API JSON) the way the LINE app shows them in a chat.
 *
 * Used by the console's broadcast preview; meant for any page that shows what the bot sends (a chat
 * simulator, for one). No dependencies; styles in linechat.css.
 *
 *   LineChat.render(container, messages, options)   replace the container's content with a chat of `messages`
 *   LineChat.append(container, messages, options)   add `messages` below what is there (a conversation)
 *   LineChat.mountAll(root)                         render every element of `root` (default: document) that
 *                                                   has data-linechat-source="ID": the messages are the JSON of
 *                                                   <script type="application/json" id="ID">
 *
 * `messages` is an array of LINE message objects: text, flex (bubble or carousel: boxes vertical /
 * horizontal / baseline, text and spans, button, separator, image, icon, filler, spacer), image,
 * template, sticker...; unknown kinds are shown as a placeholder, never dropped silently.
 *
 * options:
 *   from         "bot" (default, on the left with an avatar) or "user" (on the right)
 *   name         the name shown above the bot's messages (default "บอท สถ.")
 *   onAction     function (action, message): called when a button, a tappable box / text / image or a
 *                quick-reply chip is pressed, with the LINE action object (postback, message,
 *                datetimepicker...). uri actions are shown as a tooltip and never followed.
 *   showAltText  show a flex message's altText (the notification / old-client text) under it (default true)
 *
 * Safety: every string from a message is put in with textContent or a CSS property, never innerHTML;
 * colours and lengths are checked against LINE's formats before use; images load only over https.
 */
(function (global) {
  "use strict";

  var TEXT_SIZES = {
    xxs: "11px", xs: "13px", sm: "14px", md: "16px", lg: "19px", xl: "22px",
    xxl: "29px", "3xl": "35px", "4xl": "48px", "5xl": "74px"
  };
  var SPACES = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
  var IMAGE_SIZES = {
    xxs: "40px", xs: "60px", sm: "80px", md: "100px", lg: "120px", xl: "140px", xxl: "160px",
    "3xl": "180px", "4xl": "200px", "5xl": "220px", full: "100%"
  };
  var BUBBLE_WIDTHS = {
    nano: "120px", micro: "160px", deca: "220px", hecto: "241px", kilo: "260px", mega: "300px", giga: "500px"
  };
  var BORDER_WIDTHS = { none: "0", light: "0.5px", normal: "1px", medium: "2px", "semi-bold": "3px", bold: "4px" };
  var RADII = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
  var ALIGN = { start: "flex-start", end: "flex-end", center: "center" };
  var JUSTIFY = {
    "flex-start": "flex-start", "flex-end": "flex-end", center: "center",
    "space-between": "space-between", "space-around": "space-around", "space-evenly": "space-evenly"
  };
  var COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;
  var LENGTH = /^\d+(\.\d+)?(px|%)$/;
  var RATIO = /^(\d+(\.\d+)?):(\d+(\.\d+)?)$/;
  var FIXED = { filler: true, icon: true, spacer: true, separator: true }; // no flex of their own

  // --- small helpers ------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function colour(value) {
    return typeof value === "string" && COLOR.test(value) ? value : null;
  }

  function length(value, keywords) {
    if (typeof value !== "string") return null;
    if (keywords && Object.prototype.hasOwnProperty.call(keywords, value)) return keywords[value];
    return LENGTH.test(value) ? value : null;
  }

  function setStyle(node, property, value) {
    if (value !== null && value !== undefined) node.style[property] = value;
  }

  function safeImageUrl(url) {
    return typeof url === "string" && /^https:\/\//i.test(url) ? url : null;
  }

  function describe(action) {
    if (!action || typeof action !== "object") return "";
    if (action.type === "uri") return "ลิงก์: " + String(action.uri || "");
    if (action.type === "postback") return String(action.displayText || action.label || "");
    if (action.type === "message") return String(action.text || "");
    return String(action.label || action.type || "");
  }

  /** Make `node` call onAction(action) when clicked or activated from the keyboard. */
  function tappable(node, action, ctx) {
    if (!action || typeof action !== "object") return node;
    node.classList.add("lc-tappable");
    var hint = describe(action);
    if (hint) node.title = hint;
    if (node.tagName !== "BUTTON") {
      node.setAttribute("role", "button");
      node.tabIndex = 0;
      node.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          fire(action, ctx);
        }
      });
    }
    node.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      fire(action, ctx);
    });
    return node;
  }

  function fire(action, ctx) {
    if (action.type === "uri") return; // a preview never leaves the page
    if (typeof ctx.onAction === "function") ctx.onAction(action, ctx.message);
  }

  // --- flex components ----------------------------------------------------------------------------

  function component(c, ctx, parentLayout) {
    if (!c || typeof c !== "object") return el("span", "lc-unknown", "?");
    switch (c.type) {
      case "box": return box(c, ctx);
      case "text": return text(c, ctx);
      case "button": return button(c, ctx);
      case "separator": return separator(c, parentLayout);
      case "image": return image(c, ctx);
      case "icon": return icon(c);
      case "filler": return filler(c);
      case "spacer": return spacer(c, parentLayout);
      case "video": return c.altContent ? component(c.altContent, ctx, parentLayout) : el("div", "lc-unknown", "[วิดีโอ]");
      default: return el("div", "lc-unknown", "[" + String(c.type) + "]");
    }
  }

  function applyPosition(node, c) {
    if (c.position === "absolute") {
      node.style.position = "absolute";
      setStyle(node, "top", length(c.offsetTop, SPACES));
      setStyle(node, "bottom", length(c.offsetBottom, SPACES));
      setStyle(node, "left", length(c.offsetStart, SPACES));
      setStyle(node, "right", length(c.offsetEnd, SPACES));
    } else {
      if (length(c.offsetTop, SPACES) || length(c.offsetBottom, SPACES) ||
          length(c.offsetStart, SPACES) || length(c.offsetEnd, SPACES)) {
        node.style.position = "relative";
      }
      setStyle(node, "top", length(c.offsetTop, SPACES));
      setStyle(node, "left", length(c.offsetStart, SPACES));
    }
  }

  function applyFlex(node, c, parentLayout) {
    // LINE: in a horizontal or baseline box a component takes flex 1 unless told; in a vertical one, 0.
    var grow = typeof c.flex === "number" && c.flex >= 0 ? c.flex : (parentLayout === "vertical" ? 0 : 1);
    node.style.flex = grow > 0 ? grow + " 1 0" : "0 0 auto";
  }

  function box(c, ctx) {
    var layout = c.layout === "horizontal" || c.layout === "baseline" ? c.layout : "vertical";
    var node = el("div", "lc-box lc-" + layout);
    setStyle(node, "backgroundColor", colour(c.backgroundColor));
    setStyle(node, "borderColor", colour(c.borderColor));
    var border = length(c.borderWidth, BORDER_WIDTHS);
    if (border) {
      node.style.borderStyle = "solid";
      node.style.borderWidth = border;
    }
    setStyle(node, "borderRadius", length(c.cornerRadius, RADII));
    setStyle(node, "padding", length(c.paddingAll, SPACES));
    setStyle(node, "paddingTop", length(c.paddingTop, SPACES));
    setStyle(node, "paddingBottom", length(c.paddingBottom, SPACES));
    setStyle(node, "paddingLeft", length(c.paddingStart, SPACES));
    setStyle(node, "paddingRight", length(c.paddingEnd, SPACES));
    setStyle(node, "width", length(c.width));
    setStyle(node, "maxWidth", length(c.maxWidth));
    setStyle(node, "height", length(c.height));
    setStyle(node, "maxHeight", length(c.maxHeight));
    setStyle(node, "justifyContent", JUSTIFY[c.justifyContent] || null);
    setStyle(node, "alignItems", JUSTIFY[c.alignItems] || null);
    applyPosition(node, c);
    var spacing = length(c.spacing, SPACES);
    var children = Array.isArray(c.contents) ? c.contents : [];
    children.forEach(function (child, index) {
      var childNode = component(child, ctx, layout);
      if (child && typeof child === "object" && !FIXED[child.type]) applyFlex(childNode, child, layout);
      // The gap before a component: its own margin, else the box's spacing (LINE ignores both first).
      var gap = index > 0 ? (length(child && child.margin, SPACES) || spacing) : null;
      if (gap) childNode.style[layout === "vertical" ? "marginTop" : "marginLeft"] = gap;
      node.appendChild(childNode);
    });
    return tappable(node, c.action, ctx);
  }

  function styleText(node, c) {
    setStyle(node, "fontSize", length(c.size, TEXT_SIZES));
    if (c.weight === "bold") node.style.fontWeight = "bold";
    setStyle(node, "color", colour(c.color));
    if (c.style === "italic") node.style.fontStyle = "italic";
    if (c.decoration === "underline" || c.decoration === "line-through") node.style.textDecoration = c.decoration;
  }

  function text(c, ctx) {
    var node = el("div", "lc-text");
    if (Array.isArray(c.contents) && c.contents.length) {
      c.contents.forEach(function (span) {
        if (!span || span.type !== "span") return;
        var spanNode = el("span", "lc-span", span.text || "");
        styleText(spanNode, span);
        node.appendChild(spanNode);
      });
    } else {
      node.textContent = c.text === undefined || c.text === null ? "" : String(c.text);
    }
    styleText(node, c);
    if (!c.size) node.style.fontSize = TEXT_SIZES.md;
    setStyle(node, "textAlign", { start: "left", end: "right", center: "center" }[c.align] || null);
    setStyle(node, "alignSelf", { top: "flex-start", bottom: "flex-end", center: "center" }[c.gravity] || null);
    setStyle(node, "lineHeight", length(c.lineSpacing) ? "calc(1.4em + " + length(c.lineSpacing) + ")" : null);
    if (c.wrap) {
      node.classList.add("lc-wrap");
      if (typeof c.maxLines === "number" && c.maxLines > 0) {
        node.classList.add("lc-clamp");
        node.style.webkitLineClamp = String(c.maxLines);
      }
    } else {
      node.classList.add("lc-nowrap");
    }
    applyPosition(node, c);
    return tappable(node, c.action, ctx);
  }

  function button(c, ctx) {
    var style = c.style === "primary" || c.style === "secondary" ? c.style : "link";
    var action = c.action && typeof c.action === "object" ? c.action : {};
    var node = el("button", "lc-button lc-button-" + style, action.label || "");
    node.type = "button";
    if (c.height === "sm") node.classList.add("lc-button-sm");
    var custom = colour(c.color);
    if (custom) node.style[style === "link" ? "color" : "backgroundColor"] = custom;
    setStyle(node, "alignSelf", { top: "flex-start", bottom: "flex-end", center: "center" }[c.gravity] || null);
    applyPosition(node, c);
    return tappable(node, c.action, ctx);
  }

  function separator(c, parentLayout) {
    var node = el("div", "lc-separator " + (parentLayout === "vertical" ? "lc-separator-h" : "lc-separator-v"));
    setStyle(node, "backgroundColor", colour(c.color));
    return node;
  }

  function image(c, ctx) {
    var wrap = el("div", "lc-image");
    wrap.style.justifyContent = ALIGN[c.align] || "center";
    setStyle(wrap, "alignSelf", { top: "flex-start", bottom: "flex-end", center: "center" }[c.gravity] || null);
    var img = el("img");
    img.alt = "";
    img.loading = "lazy";
    img.referrerPolicy = "no-referrer";
    var url = safeImageUrl(c.url);
    if (url) img.src = url; else img.classList.add("lc-image-missing");
    img.style.width = length(c.size, IMAGE_SIZES) || IMAGE_SIZES.md;
    var ratio = RATIO.exec(typeof c.aspectRatio === "string" ? c.aspectRatio : "1:1");
    if (ratio) img.style.aspectRatio = ratio[1] + " / " + ratio[3];
    img.style.objectFit = c.aspectMode === "cover" ? "cover" : "contain";
    setStyle(img, "backgroundColor", colour(c.backgroundColor));
    wrap.appendChild(img);
    applyPosition(wrap, c);
    return tappable(wrap, c.action, ctx);
  }

  function icon(c) {
    var img = el("img", "lc-icon");
    img.alt = "";
    img.referrerPolicy = "no-referrer";
    var url = safeImageUrl(c.url);
    if (url) img.src = url;
    var size = length(c.size, TEXT_SIZES) || TEXT_SIZES.md;
    img.style.height = size;
    var ratio = RATIO.exec(typeof c.aspectRatio === "string" ? c.aspectRatio : "1:1");
    img.style.width = ratio ? "calc(" + size + " * " + ratio[1] + " / " + ratio[3] + ")" : size;
    img.style.flex = "0 0 auto";
    return img;
  }

  function filler(c) {
    var node = el("div", "lc-filler");
    node.style.flex = (typeof c.flex === "number" ? c.flex : 1) + " 1 0";
    return node;
  }

  function spacer(c, parentLayout) {
    var node = el("div", "lc-spacer");
    node.style[parentLayout === "vertical" ? "height" : "width"] = length(c.size, SPACES) || SPACES.md;
    return node;
  }

  // --- bubbles and carousels ----------------------------------------------------------------------

  var BLOCK_PADDING = { header: "20px", body: "20px", footer: "10px" };

  function hasPadding(c) {
    return ["paddingAll", "paddingTop", "paddingBottom", "paddingStart", "paddingEnd"].some(function (name) {
      return c[name] !== undefined;
    });
  }

  function bubble(c, ctx) {
    var node = el("div", "lc-bubble");
    node.style.width = BUBBLE_WIDTHS[c.size] || BUBBLE_WIDTHS.mega;
    if (c.direction === "rtl") node.dir = "rtl";
    var styles = c.styles && typeof c.styles === "object" ? c.styles : {};
    ["header", "hero", "body", "footer"].forEach(function (name, index) {
      var part = c[name];
      if (!part || typeof part !== "object") return;
      var block = el("div", "lc-block lc-block-" + name);
      var blockStyle = styles[name] && typeof styles[name] === "object" ? styles[name] : {};
      setStyle(block, "backgroundColor", colour(blockStyle.backgroundColor));
      if (blockStyle.separator && index > 0) {
        block.style.borderTop = "1px solid " + (colour(blockStyle.separatorColor) || "#e5e5e5");
      }
      var content = component(part, ctx, "vertical");
      if (part.type === "box" && name !== "hero" && !hasPadding(part)) content.style.padding = BLOCK_PADDING[name];
      if (name === "hero" && part.type === "image") content.querySelector("img").style.width = "100%";
      block.appendChild(content);
      node.appendChild(block);
    });
    return tappable(node, c.action, ctx);
  }

  function flexContents(contents, ctx) {
    if (contents && contents.type === "carousel") {
      var carousel = el("div", "lc-carousel");
      (Array.isArray(contents.contents) ? contents.contents : []).forEach(function (item) {
        carousel.appendChild(bubble(item || {}, ctx));
      });
      return carousel;
    }
    if (contents && contents.type === "bubble") return bubble(contents, ctx);
    return el("div", "lc-unknown", "[flex]");
  }

  // --- template messages (older LINE layouts, drawn as cards) -------------------------------------

  function templateCard(column, actions, ctx) {
    var card = el("div", "lc-bubble lc-template");
    var image = safeImageUrl(column.thumbnailImageUrl || column.imageUrl);
    if (image) {
      var img = el("img", "lc-template-image");
      img.alt = "";
      img.referrerPolicy = "no-referrer";
      img.src = image;
      card.appendChild(img);
    }
    var body = el("div", "lc-template-body");
    if (column.title) body.appendChild(el("div", "lc-text lc-template-title", column.title));
    if (column.text) body.appendChild(el("div", "lc-text lc-wrap", column.text));
    card.appendChild(body);
    (Array.isArray(actions) ? actions : []).forEach(function (action) {
      var b = el("button", "lc-button lc-button-link", (action && action.label) || "");
      b.type = "button";
      card.appendChild(tappable(b, action, ctx));
    });
    return card;
  }

  function template(t, ctx) {
    if (!t || typeof t !== "object") return el("div", "lc-unknown", "[template]");
    if (t.type === "carousel" || t.type === "image_carousel") {
      var carousel = el("div", "lc-carousel");
      (Array.isArray(t.columns) ? t.columns : []).forEach(function (column) {
        column = column || {};
        carousel.appendChild(templateCard(column, column.actions || (column.action ? [column.action] : []), ctx));
      });
      return carousel;
    }
    return templateCard(t, t.actions, ctx);
  }

  // --- messages -----------------------------------------------------------------------------------

  function messageBody(message, ctx) {
    switch (message.type) {
      case "text":
        return el("div", "lc-say", message.text || "");
      case "flex": {
        var wrap = el("div", "lc-flex");
        wrap.appendChild(flexContents(message.contents, ctx));
        if (ctx.showAltText && message.altText) {
          var alt = el("details", "lc-alt");
          alt.appendChild(el("summary", null, "ข้อความแจ้งเตือน (altText)"));
          alt.appendChild(el("div", "lc-alt-text", message.altText));
          wrap.appendChild(alt);
        }
        return wrap;
      }
      case "image": {
        var img = el("img", "lc-photo");
        img.alt = "";
        img.referrerPolicy = "no-referrer";
        var url = safeImageUrl(message.previewImageUrl || message.originalContentUrl);
        if (url) img.src = url;
        return img;
      }
      case "template": {
        var card = el("div", "lc-flex");
        card.appendChild(template(message.template, ctx));
        return card;
      }
      case "sticker":
        return el("div", "lc-say lc-note", "[สติกเกอร์]");
      case "location":
        return el("div", "lc-say", "📍 " + (message.title || "") + "\n" + (message.address || ""));
      default:
        return el("div", "lc-say lc-note", "[" + String(message.type) + "]" + (message.altText ? " " + message.altText : ""));
    }
  }

  function quickReplies(message, ctx) {
    var items = message.quickReply && Array.isArray(message.quickReply.items) ? message.quickReply.items : [];
    if (!items.length) return null;
    var bar = el("div", "lc-quick");
    bar.setAttribute("aria-label", "ปุ่มตอบกลับด่วน");
    items.forEach(function (item) {
      var action = item && item.action;
      if (!action) return;
      var chip = el("button", "lc-chip");
      chip.type = "button";
      var iconUrl = safeImageUrl(item.imageUrl);
      if (iconUrl) {
        var img = el("img", "lc-chip-icon");
        img.alt = "";
        img.referrerPolicy = "no-referrer";
        img.src = iconUrl;
        chip.appendChild(img);
      }
      chip.appendChild(document.createTextNode(String(action.label || "")));
      bar.appendChild(tappable(chip, action, ctx));
    });
    return bar;
  }

  function options(given) {
    given = given || {};
    return {
      from: given.from === "user" ? "user" : "bot",
      name: typeof given.name === "string" ? given.name : "บอท สถ.",
      onAction: typeof given.onAction === "function" ? given.onAction : null,
      showAltText: given.showAltText !== false
    };
  }

  function append(container, messages, given) {
    var opts = options(given);
    container.classList.add("lc-chat");
    var log = container.querySelector(":scope > .lc-log");
    if (!log) {
      log = el("div", "lc-log");
      container.appendChild(log);
    }
    var old = container.querySelector(":scope > .lc-quick");
    if (old) old.remove(); // LINE shows the quick replies of the latest message only
    var list = Array.isArray(messages) ? messages : [];
    var row = el("div", "lc-row lc-from-" + opts.from);
    if (opts.from === "bot") {
      row.appendChild(el("div", "lc-avatar", opts.name.slice(0, 1)));
    }
    var column = el("div", "lc-column");
    if (opts.from === "bot" && opts.name) column.appendChild(el("div", "lc-name", opts.name));
    var last = null;
    list.forEach(function (message) {
      if (!message || typeof message !== "object") return;
      var ctx = { onAction: opts.onAction, message: message, showAltText: opts.showAltText };
      var item = el("div", "lc-message lc-message-" + String(message.type));
      item.appendChild(messageBody(message, ctx));
      column.appendChild(item);
      last = { message: message, ctx: ctx };
    });
    row.appendChild(column);
    log.appendChild(row);
    if (last) {
      var bar = quickReplies(last.message, last.ctx);
      if (bar) container.appendChild(bar);
    }
    container.scrollTop = container.scrollHeight;
    return container;
  }

  function render(container, messages, given) {
    container.textContent = "";
    return append(container, messages, given);
  }

  function mountAll(root) {
    var scope = root || document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-linechat-source]"), function (container) {
      var source = document.getElementById(container.getAttribute("data-linechat-source"));
      try {
        render(container, JSON.parse(source ? source.textContent : "[]"), {
          name: container.getAttribute("data-linechat-name") || undefined
        });
      } catch (error) {
        container.textContent = "แสดงตัวอย่างไม่ได้";
      }
    });
  }

  global.LineChat = { render: render, append: append, mountAll: mountAll };

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { mountAll(document); });
    } else {
      mountAll(document);
    }
  }
})(typeof window !== "undefined" ? window : this);
