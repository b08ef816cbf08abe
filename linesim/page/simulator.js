/*
 * simulator.js — LINE chats with the bot, on the emulator's JSON API (linesim/simulator.py).
 *
 * Pick who you are (an official), pick a chat (your one-to-one chat with the bot, or a provincial
 * group), type, press the bot's buttons and quick replies. Every such act is a webhook the emulator
 * signs and sends to the bot's /callback; what the bot sends back (reply, push) and what LINE refused
 * comes in through the timeline, polled every few hundred milliseconds, so broadcasts appear unasked.
 *
 * Messages are drawn by the shared renderer (LineChat, bot/static/linechat.js). Text from messages is
 * only ever set with textContent. No dependencies.
 */
(function () {
  "use strict";

  var POLL_MS = 700;
  var WORLD_EVERY = 4; // polls between world refreshes when nothing happened

  var state = {
    world: null,
    me: null, // user id
    chat: null, // chat id: my user id (one-to-one) or a group id
    next: 0,
    items: {}, // chat id -> [item]
    rendered: {}, // chat id -> number of items drawn in its log
    logs: {}, // chat id -> container
    unread: {},
    polling: false,
    pollAgain: false,
    quietPolls: 0,
    richMenuId: null // the rich menu drawn under the one-to-one chat
  };

  // --- helpers ------------------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function api(method, path, body) {
    var init = { method: method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data && data.message ? data.message : "HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function clock(seconds) {
    var date = new Date(seconds * 1000);
    return date.toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
  }

  function official(userId) {
    var list = state.world ? state.world.officials : [];
    for (var i = 0; i < list.length; i++) if (list[i].userId === userId) return list[i];
    return null;
  }

  function group(groupId) {
    var list = state.world ? state.world.groups : [];
    for (var i = 0; i < list.length; i++) if (list[i].groupId === groupId) return list[i];
    return null;
  }

  function nameOf(userId) {
    if (!userId) return "มีผู้ใช้";
    var found = official(userId);
    return found ? found.displayName : "ผู้ใช้ " + userId.slice(-6);
  }

  function botName() { return state.world ? state.world.bot.name : "บอท"; }

  function isGroup(chatId) { return !!group(chatId); }

  // --- the chat list ------------------------------------------------------------------------------

  function renderIdentities() {
    var select = $("me");
    select.textContent = "";
    state.world.officials.forEach(function (person) {
      var option = el("option", null, person.displayName + (person.following ? "" : " (บล็อกบอทอยู่)"));
      option.value = person.userId;
      select.appendChild(option);
    });
    select.value = state.me;
  }

  function chatEntry(chatId, name, note, avatarText, groupLike) {
    var entry = el("button", "sim-chat-entry");
    entry.type = "button";
    entry.dataset.chatId = chatId;
    entry.setAttribute("aria-current", chatId === state.chat ? "true" : "false");
    var avatar = el("div", "sim-chat-avatar" + (groupLike ? " sim-group" : ""), avatarText);
    var text = el("div", "sim-chat-text");
    text.appendChild(el("div", "sim-chat-name", name));
    text.appendChild(el("div", "sim-chat-note", note));
    entry.appendChild(avatar);
    entry.appendChild(text);
    var unread = state.unread[chatId] || 0;
    if (unread) entry.appendChild(el("span", "sim-unread", unread > 99 ? "99+" : unread));
    entry.addEventListener("click", function () { openChat(chatId); });
    return entry;
  }

  function renderChats() {
    var nav = $("chats");
    nav.textContent = "";
    var me = official(state.me);
    nav.appendChild(chatEntry(state.me, botName(), me && me.following ? "แชตส่วนตัวกับบอท" : "คุณบล็อกบอทอยู่", "สถ", false));
    state.world.groups.forEach(function (g) {
      var notes = ["สมาชิก " + g.memberCount + " คน"];
      if (!g.botIsMember) notes.push("ยังไม่มีบอทในกลุ่ม");
      if (g.memberIds.indexOf(state.me) < 0) notes.push("คุณยังไม่ได้อยู่ในกลุ่ม");
      nav.appendChild(chatEntry(g.groupId, g.groupName, notes.join(" · "), "กลุ่ม", true));
    });
    // What the bot sent to chats nobody here is in (an unknown id, a request LINE could not place).
    Object.keys(state.items).forEach(function (chatId) {
      if (official(chatId) || group(chatId)) return;
      nav.appendChild(chatEntry(chatId, chatId ? "แชตที่ไม่รู้จัก " + chatId : "คำขอที่ไม่รู้ว่าถึงแชตใด",
        "ข้อความที่บอทส่งไปยังผู้รับที่ไม่มีในโลกจำลอง", "?", false));
    });
    var quota = state.world.quota;
    $("quota").textContent = quota.type === "limited"
      ? state.world.totalUsage.toLocaleString("th-TH") + " / " + quota.value.toLocaleString("th-TH")
      : state.world.totalUsage.toLocaleString("th-TH") + " (ไม่จำกัด)";
    $("webhook-url").textContent = state.world.webhookUrl || "-";
  }

  // --- the open chat ------------------------------------------------------------------------------

  function logFor(chatId) {
    var log = state.logs[chatId];
    if (!log) {
      log = el("div", "lc-chat sim-log");
      log.dataset.chatId = chatId;
      log.hidden = true;
      $("logs").appendChild(log);
      state.logs[chatId] = log;
      state.rendered[chatId] = 0;
    }
    return log;
  }

  function openChat(chatId) {
    state.chat = chatId;
    state.unread[chatId] = 0;
    Object.keys(state.logs).forEach(function (id) { state.logs[id].hidden = id !== chatId; });
    var log = logFor(chatId);
    log.hidden = false;
    drawPending(chatId);
    log.scrollTop = log.scrollHeight;
    $("sim").classList.add("sim-in-chat");
    renderChats();
    renderHeader();
  }

  function actionButton(label, act, handler) {
    var button = el("button", null, label);
    button.type = "button";
    button.dataset.act = act;
    button.addEventListener("click", handler);
    return button;
  }

  function renderHeader() {
    var chatId = state.chat;
    var actions = $("chat-actions");
    actions.textContent = "";
    var g = group(chatId);
    var banner = null;
    if (g) {
      $("chat-title").textContent = g.groupName;
      $("chat-subtitle").textContent = "กลุ่ม · สมาชิก " + g.memberCount + " คน" + (g.botIsMember ? " · มีบอทในกลุ่ม" : "");
      if (g.botIsMember) {
        actions.appendChild(actionButton("นำบอทออกจากกลุ่ม", "leave", function () {
          send({ type: "leave", groupId: chatId, userId: state.me });
        }));
      }
      if (g.memberIds.indexOf(state.me) < 0) {
        banner = { text: "คุณยังไม่ได้อยู่ในกลุ่มนี้", label: "เข้าร่วมกลุ่ม", act: "memberJoined",
          body: { type: "memberJoined", groupId: chatId, userId: state.me } };
      } else if (!g.botIsMember) {
        banner = { text: botName() + " ยังไม่ได้อยู่ในกลุ่มนี้", label: "เชิญบอทเข้ากลุ่ม", act: "join",
          body: { type: "join", groupId: chatId, userId: state.me } };
      }
    } else if (!official(chatId)) {
      $("chat-title").textContent = chatId || "-";
      $("chat-subtitle").textContent = "ผู้รับที่ไม่มีในโลกจำลอง";
      banner = { text: "แชตนี้ดูได้อย่างเดียว", label: "กลับไปแชตของฉัน", act: "home", open: state.me };
    } else {
      var me = official(chatId);
      $("chat-title").textContent = botName();
      $("chat-subtitle").textContent = "แชตส่วนตัวของ " + nameOf(chatId);
      if (me && me.following) {
        actions.appendChild(actionButton("บล็อกบอท", "unfollow", function () {
          send({ type: "unfollow", userId: chatId });
        }));
      } else {
        banner = { text: "คุณบล็อกบอทอยู่ หรือยังไม่ได้เพิ่มเพื่อน", label: "เพิ่มเพื่อน", act: "follow",
          body: { type: "follow", userId: chatId } };
      }
    }
    var bannerNode = $("banner");
    var composer = $("composer");
    if (banner) {
      $("banner-text").textContent = banner.text;
      var button = $("banner-button");
      button.textContent = banner.label;
      button.dataset.act = banner.act;
      button.onclick = function () {
        if (banner.open) openChat(banner.open); else send(banner.body);
      };
      bannerNode.hidden = false;
      composer.hidden = true;
    } else {
      bannerNode.hidden = true;
      composer.hidden = false;
    }
    $("mention").hidden = !g;
    renderRichMenu(!g && official(chatId) && official(chatId).following ? state.world.richMenu : null);
  }

  // --- the rich menu ------------------------------------------------------------------------------

  /** The default rich menu under a one-to-one chat, as LINE draws it: the uploaded image, each area a
   * button over its bounds; a tap sends what LINE sends (a message, or a postback). */
  function renderRichMenu(menu) {
    var section = $("richmenu");
    if (!menu) {
      section.hidden = true;
      state.richMenuId = null;
      return;
    }
    section.hidden = false;
    if (state.richMenuId === menu.richMenuId) return;
    state.richMenuId = menu.richMenuId;
    var bar = $("richmenu-bar");
    bar.textContent = menu.chatBarText + " ▾";
    bar.setAttribute("aria-expanded", "true");
    $("richmenu-panel").hidden = false;
    $("richmenu-image").src = menu.imageUrl;
    var areas = $("richmenu-areas");
    areas.textContent = "";
    var width = menu.size.width, height = menu.size.height;
    menu.areas.forEach(function (area) {
      var action = area.action;
      var label = action.label || action.displayText || action.text || action.data || action.type;
      var button = el("button", "sim-richmenu-area");
      button.type = "button";
      button.setAttribute("aria-label", label);
      button.title = label;
      button.style.left = (100 * area.bounds.x / width) + "%";
      button.style.top = (100 * area.bounds.y / height) + "%";
      button.style.width = (100 * area.bounds.width / width) + "%";
      button.style.height = (100 * area.bounds.height / height) + "%";
      button.addEventListener("click", function () { tapRichMenu(action); });
      areas.appendChild(button);
    });
  }

  function tapRichMenu(action) {
    if (action.type === "postback" && action.inputOption === "openKeyboard") {
      var input = $("text");
      input.value = action.fillInText || "";
      input.focus();
    }
    onActionIn(state.chat)(action);
  }

  function toggleRichMenu() {
    var panel = $("richmenu-panel");
    panel.hidden = !panel.hidden;
    $("richmenu-bar").setAttribute("aria-expanded", panel.hidden ? "false" : "true");
    $("richmenu-bar").textContent = state.world.richMenu
      ? state.world.richMenu.chatBarText + (panel.hidden ? " ▴" : " ▾") : "";
  }

  // --- drawing timeline items ---------------------------------------------------------------------

  function drawPending(chatId) {
    var items = state.items[chatId] || [];
    var log = logFor(chatId);
    for (var i = state.rendered[chatId]; i < items.length; i++) drawItem(log, chatId, items[i]);
    state.rendered[chatId] = items.length;
  }

  function rowsOf(log) {
    var rows = log.querySelector(":scope > .lc-log");
    if (!rows) {
      rows = el("div", "lc-log");
      log.insertBefore(rows, log.firstChild);
    }
    return rows;
  }

  function rawToggle(item) {
    var wrap = el("div", "sim-raw-wrap");
    var toggle = el("button", "sim-raw-toggle", "{ }");
    toggle.type = "button";
    toggle.title = "ดู JSON ดิบ";
    toggle.setAttribute("aria-expanded", "false");
    var panel = null;
    toggle.addEventListener("click", function () {
      if (panel) {
        panel.remove();
        panel = null;
        toggle.setAttribute("aria-expanded", "false");
        return;
      }
      panel = el("div", "sim-raw-panel");
      var pre = el("pre", "sim-raw", JSON.stringify(item.raw, null, 2));
      panel.appendChild(pre);
      wrap.parentNode.insertAdjacentElement("afterend", panel); // below the time line, not beside it
      toggle.setAttribute("aria-expanded", "true");
      if (item.webhook !== null && item.webhook !== undefined) showWebhook(item.webhook, pre, panel);
    });
    wrap.appendChild(toggle);
    return wrap;
  }

  /** The webhook as sent (whole body, signed) and what the bot answered, with a redelivery button. */
  function showWebhook(index, pre, panel) {
    api("GET", "/simulator/api/webhooks/" + index).then(function (call) {
      var status = call.status === null ? "ติดต่อบอทไม่ได้: " + (call.error || "") : "บอทตอบ " + call.status;
      pre.textContent = "POST " + (state.world.webhookUrl || "") + "  →  " + status +
        " (" + call.durationMs + " ms)\n\n" + JSON.stringify(call.body, null, 2);
      if (!call.body.events || !call.body.events.length) return;
      var actions = el("div", "sim-raw-actions");
      var again = el("button", null, "ส่งซ้ำแบบ redelivery");
      again.type = "button";
      again.addEventListener("click", function () {
        api("POST", "/simulator/api/webhooks/" + index + "/redeliver", {}).then(schedulePoll, showError);
      });
      actions.appendChild(again);
      panel.appendChild(actions);
    }, function () { /* still in flight: the event itself is shown */ });
  }

  function meta(item, label) {
    var line = el("div", "sim-meta");
    line.appendChild(el("span", null, clock(item.time) + (label ? " · " + label : "")));
    line.appendChild(rawToggle(item));
    return line;
  }

  function onActionIn(chatId) {
    return function (action) {
      var chosen = action;
      if (action.type === "datetimepicker") {
        var value = window.prompt("เลือก" + (action.mode === "date" ? "วันที่ (YYYY-MM-DD)" : action.mode === "time" ? "เวลา (HH:MM)" : "วันเวลา (YYYY-MM-DDTHH:MM)"), action.initial || "");
        if (!value) return;
        chosen = Object.assign({}, action, { value: value });
      }
      send({ type: "action", action: chosen, userId: state.me, groupId: isGroup(chatId) ? chatId : null });
    };
  }

  function appendMessages(log, chatId, messages, from, name, item, label) {
    LineChat.append(log, messages, { from: from, name: name, onAction: onActionIn(chatId) });
    var rows = rowsOf(log);
    var row = rows.lastElementChild;
    var column = row && row.querySelector(".lc-column");
    if (column) column.appendChild(meta(item, label));
    if (row) row.dataset.index = item.index;
  }

  function notice(log, item, text, error) {
    var row = el("div", "sim-notice-row");
    row.dataset.index = item.index;
    if (error) {
      var box = el("div", "sim-error");
      box.setAttribute("role", "alert");
      box.appendChild(el("strong", null, text));
      if (error.message) box.appendChild(el("div", null, error.message));
      if (Array.isArray(error.details) && error.details.length) {
        var list = el("ul");
        error.details.forEach(function (detail) {
          var entry = el("li");
          entry.appendChild(el("code", null, detail.property || ""));
          entry.appendChild(document.createTextNode(" " + (detail.message || "")));
          list.appendChild(entry);
        });
        box.appendChild(list);
      }
      row.appendChild(box);
    } else {
      row.appendChild(el("div", "sim-notice", text));
    }
    row.appendChild(meta(item));
    rowsOf(log).appendChild(row);
    log.scrollTop = log.scrollHeight;
  }

  var VIA = { reply: "ตอบกลับ (reply)", push: "ส่งถึง (push)", multicast: "multicast" };

  function eventText(item) {
    var who = nameOf(item.userId);
    switch (item.eventType) {
      case "follow": return who + " เพิ่ม " + botName() + " เป็นเพื่อน";
      case "unfollow": return who + " บล็อก " + botName();
      case "join": return (item.userId ? who : "มีผู้") + " เชิญ " + botName() + " เข้ากลุ่ม";
      case "leave": return (item.userId ? who : "มีผู้") + " นำ " + botName() + " ออกจากกลุ่ม";
      case "memberJoined": return who + " เข้าร่วมกลุ่ม";
      case "redelivery": return "LINE ส่ง webhook ซ้ำ (isRedelivery: true)";
      default: return String(item.eventType);
    }
  }

  function drawItem(log, chatId, item) {
    switch (item.kind) {
      case "message": {
        var mine = item.userId === state.me;
        appendMessages(log, chatId, [{ type: "text", text: item.text || "" }], mine ? "user" : "bot",
          nameOf(item.userId), item, "webhook");
        break;
      }
      case "bot":
        appendMessages(log, chatId, item.messages, "bot", botName(), item, VIA[item.via] || item.via);
        break;
      case "action":
        notice(log, item, nameOf(item.userId) + " กดปุ่ม «" + (item.text || "") + "» (postback)");
        break;
      case "event":
        notice(log, item, eventText(item));
        break;
      case "refused":
        notice(log, item, "LINE ไม่รับคำขอ " + (VIA[item.via] || item.via) + " ของบอท (" + item.status + ")",
          item.error || {});
        break;
      case "webhook_failed":
        notice(log, item, item.status === null
          ? "ส่ง webhook ไปที่บอทไม่สำเร็จ"
          : "บอทตอบ webhook ด้วยสถานะ " + item.status, item.error || {});
        break;
      default:
        notice(log, item, "[" + item.kind + "]");
    }
  }

  function showError(error) {
    var log = logFor(state.chat);
    notice(log, { index: -1, time: Date.now() / 1000, raw: { error: String(error.message || error) } },
      "ทำรายการไม่สำเร็จ", { message: String(error.message || error) });
  }

  // --- talking to the emulator --------------------------------------------------------------------

  function send(body) {
    return api("POST", "/simulator/api/send", body).then(function () {
      return refreshWorld().then(schedulePoll);
    }, function (error) {
      showError(error);
      schedulePoll();
    });
  }

  function refreshWorld() {
    return api("GET", "/simulator/api/world").then(function (world) {
      state.world = world;
      if (!official(state.me) && world.officials.length) state.me = world.officials[0].userId;
      renderIdentities();
      renderChats();
      if (state.chat) renderHeader();
    });
  }

  function take(items) {
    items.forEach(function (item) {
      var chatId = item.chatId || "";
      (state.items[chatId] = state.items[chatId] || []).push(item);
      var mine = item.kind === "message" && item.userId === state.me;
      if (chatId !== state.chat && !mine && item.kind !== "action") {
        state.unread[chatId] = (state.unread[chatId] || 0) + 1;
      }
    });
    if (state.chat) drawPending(state.chat);
  }

  function poll() {
    if (state.polling) {
      state.pollAgain = true;
      return Promise.resolve();
    }
    state.polling = true;
    return api("GET", "/simulator/api/timeline?since=" + state.next).then(function (answer) {
      state.next = answer.next;
      take(answer.items);
      state.quietPolls = answer.items.length ? 0 : state.quietPolls + 1;
      if (answer.items.length || state.quietPolls % WORLD_EVERY === 0) return refreshWorld();
    }).catch(function () { /* the emulator is restarting: try again at the next tick */ }).then(function () {
      state.polling = false;
      if (state.pollAgain) {
        state.pollAgain = false;
        return poll();
      }
    });
  }

  function schedulePoll() { return poll(); }

  // --- wiring ---------------------------------------------------------------------------------------

  function switchIdentity(userId) {
    var wasOwnChat = !isGroup(state.chat);
    state.me = userId;
    // Left and right depend on who I am: draw every chat again.
    Object.keys(state.logs).forEach(function (id) { state.logs[id].remove(); });
    state.logs = {};
    state.rendered = {};
    state.unread = {};
    openChat(wasOwnChat ? userId : state.chat);
  }

  function start() {
    $("me").addEventListener("change", function (event) { switchIdentity(event.target.value); });
    $("back").addEventListener("click", function () { $("sim").classList.remove("sim-in-chat"); });
    $("richmenu-bar").addEventListener("click", toggleRichMenu);
    $("composer").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = $("text");
      var text = input.value;
      if (!text.trim()) return;
      input.value = "";
      send({ type: "text", text: text, userId: state.me, groupId: isGroup(state.chat) ? state.chat : null });
    });
    $("mention").addEventListener("click", function () {
      var input = $("text");
      input.value = "@" + botName() + " " + input.value;
      input.focus();
    });
    refreshWorld().then(function () {
      return api("GET", "/simulator/api/timeline?since=0");
    }).then(function (answer) {
      state.next = answer.next;
      take(answer.items);
      state.unread = {};
      openChat(state.me);
      if (window.matchMedia("(max-width: 720px)").matches) $("sim").classList.remove("sim-in-chat");
      window.setInterval(poll, POLL_MS);
    }, function (error) {
      document.body.textContent = "ติดต่อ LINE จำลองไม่ได้: " + error.message;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
