/*
 * AWL SDK compatibility page. Written only against the AWL SDK API reference, in the style of its
 * examples: the global AWL from awl.min.js, one `new AWL.client()`, the configuration object
 * literal, callback functions, the call listener in the module-reveal pattern, and the string
 * constants ("AWL_MSG_…") compared as strings. Plain script, no modules, no framework.
 */
(function () {
  'use strict';

  var myWebRTC = new AWL.client();
  var callmap = {}; // callId -> { callObj, row, stats }
  var statsTimer = null;
  // generated once per application instance and reused for every login (document, setConfiguration)
  var instanceId = myWebRTC.generateAppInstanceID();

  var $ = function (id) {
    return document.getElementById(id);
  };
  var loginForm = $('login-form');
  var dialForm = $('dial-form');

  function logEvent(text) {
    var li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + '  ' + text;
    $('events').appendChild(li);
    $('events').scrollTop = $('events').scrollHeight;
  }

  /* ---------------- callbacks (the document's callback_on… functions) ---------------- */

  function onConfigChanged(resp) {
    logEvent('onConfigChanged :: RESULT = ' + resp.result + ' :: reason = ' + resp.reason);
  }

  function onRegistrationStateChanged(resp) {
    logEvent(
      'onRegistrationStateChange :: RESULT = ' + resp.result + ' :: reason = ' + resp.reason,
    );
    $('registration').textContent = resp.result;
    $('registration-reason').textContent = resp.reason ? '(' + resp.reason + ')' : '';
    var loggedIn = myWebRTC.isLoggedIn();
    $('login').disabled = loggedIn;
    $('logout').disabled = !loggedIn;
    $('dial').disabled = !loggedIn;
    if (!loggedIn) {
      for (var id in callmap) removeCall(id);
    }
  }

  function onAuthTokenRenewed(resp) {
    logEvent('onAuthTokenRenewed :: RESULT = ' + resp.result + ' :: reason = ' + resp.reason);
  }

  var CallListener = function () {
    var _onNewIncomingCall = function (callId, callObj, autoAnswer) {
      logEvent(
        'onNewIncomingCall : getFarEndNumber = ' +
          callObj.getFarEndNumber() +
          ' autoAnswer = ' +
          autoAnswer,
      );
      addCall(callObj);
    };

    var _onCallStateChange = function (callId, callObj, event) {
      logEvent('onCallStateChange : ' + callId + ' : ' + event);
      if (typeof callmap[callObj.getCallId()] === 'undefined') addCall(callObj);
      var call = callmap[callObj.getCallId()];
      switch (event) {
        case 'AWL_MSG_CALL_CONNECTED':
          if (!call.stats) call.stats = myWebRTC.getStats(callId);
          break;
        case 'AWL_MSG_CALL_DISCONNECTED':
        case 'AWL_MSG_CALL_FAILED':
          break;
        default:
      }
      showCall(call, event);
    };

    var _onCallTerminate = function (callId, reason) {
      logEvent('onCallTerminate : ' + callId + ' : ' + reason);
      removeCall(callId);
    };

    var _onLoopBackNotification = function (notification) {
      logEvent(
        'onLoopBackNotification : ' +
          (notification && notification.notification ? notification.notification : notification),
      );
    };

    var _onVideoStreamsAvailable = function (callId, localStream, remoteStream) {
      logEvent('onVideoStreamsAvailable : ' + callId);
      myWebRTC.setMediaStream('localVideo', localStream, callId, 'localVideo');
      myWebRTC.setMediaStream('remoteVideo', remoteStream, callId, 'remoteVideo');
    };

    var _onAudioStreamsAvailable = function (callId, localStream, remoteStream) {
      logEvent('onAudioStreamsAvailable : ' + callId);
    };

    return {
      onNewIncomingCall: _onNewIncomingCall,
      onCallStateChange: _onCallStateChange,
      onCallTerminate: _onCallTerminate,
      onLoopBackNotification: _onLoopBackNotification,
      onVideoStreamsAvailable: _onVideoStreamsAvailable,
      onAudioStreamsAvailable: _onAudioStreamsAvailable,
    };
  };

  var onCallListener = new CallListener();

  /* ---------------- calls table ---------------- */

  function addCall(callObj) {
    var id = callObj.getCallId();
    if (callmap[id]) return callmap[id];
    var row = $('call-row').content.firstElementChild.cloneNode(true);
    row.setAttribute('data-call-id', id);
    row.querySelector('.call-id').textContent = id;
    $('calls').appendChild(row);
    callmap[id] = { callObj: callObj, row: row, stats: null };
    showCall(callmap[id], callObj.getCallState());
    if (!statsTimer) statsTimer = setInterval(showStats, 1000);
    return callmap[id];
  }

  function showCall(call, state) {
    var o = call.callObj;
    var name = o.getFarEndName() || '';
    var subject = o.getSubject() ? ' [' + o.getSubject() + ']' : '';
    call.row.querySelector('.far-end').textContent =
      name + ' <' + o.getFarEndNumber() + '>' + subject + (o.isVideoCall() ? ' (video)' : '');
    call.row.querySelector('.state').textContent = state || o.getCallState();
  }

  function showStats() {
    for (var id in callmap) {
      var s = callmap[id].stats;
      if (s && s.audio) {
        callmap[id].row.querySelector('.stats').textContent =
          'sent ' +
          s.audio.packetsSent +
          ' / received ' +
          s.audio.packetsReceived +
          ' / lost ' +
          s.audio.packetsLost;
      }
    }
  }

  function removeCall(id) {
    var call = callmap[id];
    if (!call) return;
    call.row.remove();
    delete callmap[id];
    if (Object.keys(callmap).length === 0 && statsTimer) {
      clearInterval(statsTimer);
      statsTimer = null;
    }
  }

  $('calls').addEventListener('click', function (ev) {
    var button = ev.target.closest('button[data-action]');
    if (!button) return;
    var row = button.closest('tr');
    var callId = row.getAttribute('data-call-id');
    switch (button.getAttribute('data-action')) {
      case 'answer':
        myWebRTC.answerCall(callId);
        break;
      case 'reject':
        myWebRTC.rejectCall(callId);
        break;
      case 'cancel':
        myWebRTC.cancelCall(callId);
        break;
      case 'drop':
        myWebRTC.dropCall(callId);
        break;
      case 'hold':
        myWebRTC.doHold(callId);
        break;
      case 'unhold':
        myWebRTC.doUnHold(callId);
        break;
      case 'mute':
        logEvent('doMute : ' + myWebRTC.doMute(callId));
        break;
      case 'unmute':
        logEvent('doUnMute : ' + myWebRTC.doUnMute(callId));
        break;
      case 'addVideo':
        logEvent('addVideo : ' + myWebRTC.addVideo(callId));
        break;
      case 'removeVideo':
        logEvent('removeVideo : ' + myWebRTC.removeVideo(callId));
        break;
      case 'dtmf':
        myWebRTC.sendDTMF(callId, row.querySelector('.digit').value);
        break;
      case 'transfer':
        myWebRTC.transferCall(row.querySelector('.transfer-target').value, callId, 'unAttended');
        break;
      default:
    }
  });

  /* ---------------- sign in, sign out, dial ---------------- */

  loginForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = loginForm.elements;
    var cfg = {
      serviceType: f.serviceType.value,
      enableVideo: f.enableVideo.checked,
      Gateway: { ip: f.gatewayIp.value, port: f.gatewayPort.value },
      // this SDK's switch to use the port above (the vendor's file always connects to 9443)
      useGatewayPort: true,
      Stunserver: { ip: '', port: '3478' },
      Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
      AppData: { applicationID: '', applicationUA: 'awl-compat-page', appInstanceID: instanceId },
      disableResiliency: false,
    };
    myWebRTC.setConfiguration(
      cfg,
      onConfigChanged,
      onRegistrationStateChanged,
      onCallListener,
      onAuthTokenRenewed,
    );
    if (cfg.enableVideo)
      myWebRTC.setDomElements({ localVideo: 'localVideo', remoteVideo: 'remoteVideo' });
    myWebRTC.logIn(f.user.value, f.password.value, f.bump.checked ? 'true' : 'false');
  });

  $('logout').addEventListener('click', function () {
    myWebRTC.logOut();
  });

  dialForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = dialForm.elements;
    var callObj = myWebRTC.makeCall(f.number.value, f.callType.value);
    if (callObj === null) {
      logEvent('makeCall refused');
      return;
    }
    addCall(callObj);
  });

  /* ---------------- start ---------------- */

  $('sdk-version').textContent = myWebRTC.getSdkVersion();
  var supported = myWebRTC.isWebRTCSupported();
  $('webrtc-support').textContent =
    supported === true || supported === 'AWL_MSG_WEBRTC_SUPPORTED' ? 'supported' : 'not supported';
  // served by the gateway itself: it is the page's own host and port
  loginForm.elements.gatewayIp.value = location.hostname;
  loginForm.elements.gatewayPort.value = location.port || '443';
})();
