"""Coaching pages. Thin: fetch the record for this person (the access policy decides, 404 when they
may not see it, 403 when they may see it but not do this), parse the form, call a service, render.

One module per subject (coaching/urls.py names each view by its module):

    participants   the coaching someone follows, a participant's timeline and summary
    tutor          a tutor's participants' agreed logs
    logs           recording a session, reading and changing a log, its versions, the private note
    agreement      sending a log to the participant, their response, a new version of an agreed log
    action_steps   a participant's action steps, adding and closing one
    diagnosis      the initial diagnosis, drafting it and the participant's response
    evidence       attaching files of evidence to the diagnosis
    learning_plan  goals and the review at the start of a phase
    opportunities  learning opportunities the coach arranges
    preferences    which coaching emails a person receives
    release_time   minutes of agreed coaching per term, and its CSV
"""
